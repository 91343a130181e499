import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext';
import type { DeadLetterQuery, DeadLetterResubmitBody } from '../api/types';
import { queryKeys } from './queryKeys';

export function useDeadLetters(query: DeadLetterQuery) {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.deadLetters.list(query),
    queryFn: () => api.getDeadLetters(query),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
}

export function useDeadLetterHistory(id: string) {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.deadLetters.history(id), queryFn: () => api.getDeadLetterHistory(id) });
}

function useDlqMutation<A, R>(fn: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.deadLetters.all }),
        client.invalidateQueries({ queryKey: queryKeys.tasks.all }),
        client.invalidateQueries({ queryKey: queryKeys.system.all }),
      ]),
  });
}

export function useResubmitDeadLetters() {
  const api = useApi();
  return useDlqMutation((body: DeadLetterResubmitBody) => api.resubmitDeadLetters(body));
}

export function useRemoveDeadLetters() {
  const api = useApi();
  return useDlqMutation((ids: string[]) => api.removeDeadLetters(ids));
}
