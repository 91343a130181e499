import type { RatePoint } from '../../hooks/useStatsHistory';
import { LineChart } from '../LineChart/LineChart';
import styles from './ThroughputCharts.module.css';

const rate = (v: number) => (v >= 10 ? v.toFixed(0) : v.toFixed(1));
const count = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * Completions and failures per second, and the backlog, from /stats samples taken while the
 * dashboard is open (the history starts when the page opens; nothing is stored server-side).
 */
export function ThroughputCharts({ rates }: { rates: readonly RatePoint[] }) {
  const line = (pick: (p: RatePoint) => number) => rates.map((p) => ({ at: p.at, value: pick(p) }));
  return (
    <div className={styles.grid}>
      <LineChart
        title="Throughput (tasks/s)"
        format={rate}
        series={[{ label: 'completed', color: '#1e9e55', points: line((p) => p.completedPerSec) }]}
      />
      <LineChart
        title="Failures (tasks/s)"
        format={rate}
        series={[{ label: 'failed or stalled', color: '#d0392f', points: line((p) => p.failedPerSec) }]}
      />
      <LineChart
        title="Backlog"
        format={count}
        series={[
          { label: 'waiting', color: '#2c6bed', points: line((p) => p.waiting) },
          { label: 'running', color: '#d9a400', points: line((p) => p.running) },
        ]}
      />
    </div>
  );
}
