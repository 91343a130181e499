import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/ApiContext';
import type { QueueConfig, QueueConfigBody } from '../api/types';
import { queryKeys } from './queryKeys';

export function useQueues() {
  const api = useApi();
  return useQuery({ queryKey: queryKeys.config.queues(), queryFn: () => api.getQueues() });
}

/** Every queue with its limits (one request per queue: the API has no bulk read). */
export function useQueueConfigs() {
  const api = useApi();
  return useQuery({
    queryKey: [...queryKeys.config.queues(), 'configs'],
    queryFn: async (): Promise<QueueConfig[]> => {
      const names = await api.getQueues();
      return Promise.all(names.map((n) => api.getQueueConfig(n)));
    },
  });
}

export function useRoles() {
  const api = useApi();
  return useQuery({
    queryKey: queryKeys.config.roles(),
    queryFn: async () => {
      const names = await api.getRoles();
      return Promise.all(names.map((n) => api.getRole(n)));
    },
  });
}

/** Config writes refresh every config view (queues appear in role forms and filters). */
function useConfigMutation<A, R>(fn: (args: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => client.invalidateQueries({ queryKey: queryKeys.config.all }),
  });
}

export function useSaveQueue() {
  const api = useApi();
  return useConfigMutation(({ body, isNew }: { body: QueueConfigBody; isNew: boolean }) =>
    isNew ? api.createQueue(body) : api.updateQueue(body.name, body),
  );
}

export function useDeleteQueue() {
  const api = useApi();
  return useConfigMutation((name: string) => api.deleteQueue(name));
}

export function useSaveRole() {
  const api = useApi();
  return useConfigMutation(({ name, queues, isNew }: { name: string; queues: string[]; isNew: boolean }) =>
    isNew ? api.createRole(name, queues) : api.updateRole(name, queues),
  );
}

export function useDeleteRole() {
  const api = useApi();
  return useConfigMutation((name: string) => api.deleteRole(name));
}
