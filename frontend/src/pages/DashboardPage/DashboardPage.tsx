import { ConfirmButton } from '../../components/ConfirmButton/ConfirmButton';
import { ErrorNotice } from '../../components/ErrorNotice/ErrorNotice';
import { QueryState } from '../../components/QueryState/QueryState';
import { QueueStatsTable } from '../../components/QueueStatsTable/QueueStatsTable';
import { TaskTable } from '../../components/TaskTable/TaskTable';
import { ThroughputCharts } from '../../components/ThroughputCharts/ThroughputCharts';
import { WorkerList } from '../../components/WorkerList/WorkerList';
import { useNow } from '../../hooks/useNow';
import { useStatsHistory } from '../../hooks/useStatsHistory';
import { STATS_INTERVAL_MS, useStats, useWorkers } from '../../hooks/useSystem';
import { useActiveTasks, useCancelTask } from '../../hooks/useTasks';
import styles from './DashboardPage.module.css';

export default function DashboardPage() {
  const stats = useStats();
  const workers = useWorkers();
  const active = useActiveTasks();
  const cancel = useCancelTask();
  const now = useNow();
  const { rates } = useStatsHistory(stats.data, stats.dataUpdatedAt);

  return (
    <>
      <div className={styles.head}>
        <h1>Dashboard</h1>
        <span className="muted">refreshes every {STATS_INTERVAL_MS / 1000} s</span>
      </div>
      <ThroughputCharts rates={rates} />

      <section className="panel">
        <h2>Queues</h2>
        <QueryState query={stats} isEmpty={(d) => d.length === 0} empty="No queues yet: create one on the Queues page.">
          {(d) => <QueueStatsTable stats={d} />}
        </QueryState>
      </section>

      <section className="panel">
        <h2>Workers {workers.data && <span className="muted">({workers.data.length})</span>}</h2>
        <QueryState
          query={workers}
          isEmpty={(d) => d.length === 0}
          empty="No live worker: start one with jobbers_worker <task module>."
        >
          {(d) => <WorkerList workers={d} now={now} />}
        </QueryState>
      </section>

      <section className="panel">
        <h2>Running tasks {active.data && <span className="muted">({active.data.length})</span>}</h2>
        {cancel.isError && <ErrorNotice error={cancel.error} title="Cancel failed" />}
        <QueryState query={active} isEmpty={(d) => d.length === 0} empty="No task is running.">
          {(d) => (
            <TaskTable
              tasks={d}
              showError={false}
              extra={[
                {
                  header: '',
                  cell: (t) => (
                    <ConfirmButton
                      title={`Cancel ${t.name} ${t.id}?`}
                      message="Its worker is asked to stop it; it ends as cancelled."
                      confirmLabel="Cancel task"
                      onConfirm={() => cancel.mutate(t.id)}
                    >
                      Cancel
                    </ConfirmButton>
                  ),
                },
              ]}
            />
          )}
        </QueryState>
      </section>
    </>
  );
}
