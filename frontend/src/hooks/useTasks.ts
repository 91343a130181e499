import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext';
import { FINISHED, type ScheduledQuery, type SubmitTaskBody, type TaskListQuery } from '../api/types';
import { queryKeys } from './queryKeys';

export function useTaskList(query: TaskListQuery | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tasks.list(query ?? { queue: '' }),
    queryFn: () => api.getTaskList(query as TaskListQuery),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
}

/** A task, polled every 2 s until it reaches a final status. */
export function useTask(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tasks.detail(id),
    queryFn: () => api.getTask(id),
    refetchInterval: (q) => (q.state.data && FINISHED.includes(q.state.data.status) ? false : 2000),
  });
}

export function useActiveTasks(refetchInterval: number | false = 3000) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.tasks.active(), queryFn: () => api.getActiveTasks(), refetchInterval });
}

export function useScheduledTasks(query: ScheduledQuery | null) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.tasks.scheduled(query ?? { queue: '' }),
    queryFn: () => api.getScheduledTasks(query as ScheduledQuery),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });
}

/** Task writes refresh task lists, the DLQ and the dashboard counts. */
function useTaskMutation<A, R>(fn: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.tasks.all }),
        client.invalidateQueries({ queryKey: queryKeys.deadLetters.all }),
        client.invalidateQueries({ queryKey: queryKeys.system.all }),
      ]),
  });
}

export function useCancelTask() {
  const api = useApi();
  return useTaskMutation((id: string) => api.cancelTask(id));
}

export function useCancelTasks() {
  const api = useApi();
  return useTaskMutation((ids: string[]) => api.cancelTasks(ids));
}

export function useResubmitTask() {
  const api = useApi();
  return useTaskMutation(({ id, reset }: { id: string; reset: boolean }) => api.resubmitTask(id, reset));
}

export function useSubmitTask() {
  const api = useApi();
  return useTaskMutation(({ body, runAt }: { body: SubmitTaskBody; runAt: string | null }) =>
    runAt ? api.scheduleTask({ task: body, run_at: runAt }) : api.submitTask(body),
  );
}
