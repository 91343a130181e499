import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext';
import { queryKeys } from './queryKeys';

/** Dashboard polling period: charts sample /stats at this rate. */
export const STATS_INTERVAL_MS = 3000;

export function useStats(refetchInterval: number | false = STATS_INTERVAL_MS) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.system.stats(), queryFn: () => api.getStats(), refetchInterval });
}

export function useWorkers(refetchInterval: number | false = STATS_INTERVAL_MS) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.system.workers(), queryFn: () => api.getWorkers(), refetchInterval });
}

export function useTaskTypes() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.taskTypes(), queryFn: () => api.getTaskTypes(), staleTime: 60_000 });
}
