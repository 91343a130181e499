import styles from './LineChart.module.css';

export interface Series {
  label: string;
  color: string;
  points: ReadonlyArray<{ at: number; value: number }>;
}

interface Props {
  title: string;
  series: readonly Series[];
  /** Formats values on the axis and in the legend. */
  format?: (v: number) => string;
  height?: number;
}

const W = 480;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

/** Smallest "nice" number (1, 2, 5 × 10^n) at least `v`, so gridlines fall on round values. */
export function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  const m = v / exp;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * exp;
}

/** A small time-series chart in plain SVG (the dashboard's throughput and backlog charts). */
export function LineChart({ title, series, format = (v) => v.toFixed(1), height = 140 }: Props) {
  const all = series.flatMap((s) => s.points);
  const latest = series.map((s) => s.points[s.points.length - 1]?.value);
  if (all.length < 2) {
    return (
      <figure className={styles.chart}>
        <figcaption>{title}</figcaption>
        <div className={styles.waiting} style={{ height }}>
          Collecting samples…
        </div>
      </figure>
    );
  }
  const x0 = Math.min(...all.map((p) => p.at));
  const x1 = Math.max(...all.map((p) => p.at));
  const yMax = niceCeil(Math.max(...all.map((p) => p.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const sx = (t: number) => PAD.left + ((t - x0) / Math.max(1, x1 - x0)) * plotW;
  const sy = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const ticks = [0, yMax / 2, yMax];
  const spanSec = Math.round((x1 - x0) / 1000);

  return (
    <figure className={styles.chart}>
      <figcaption>
        {title}
        <span className={styles.legend}>
          {series.map((s, i) => (
            <span key={s.label}>
              <i style={{ background: s.color }} />
              {s.label} <b>{latest[i] === undefined ? '—' : format(latest[i])}</b>
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className={styles.grid} />
            <text x={PAD.left - 4} y={sy(t) + 3} className={styles.axis} textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={height - 4} className={styles.axis}>
          −{spanSec}s
        </text>
        <text x={W - PAD.right} y={height - 4} className={styles.axis} textAnchor="end">
          now
        </text>
        {series.map((s) => (
          <polyline
            key={s.label}
            fill="none"
            stroke={s.color}
            strokeWidth={1.6}
            vectorEffect="non-scaling-stroke"
            points={s.points.map((p) => `${sx(p.at).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
    </figure>
  );
}
