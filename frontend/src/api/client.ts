/**
 * The Manager API, one method per endpoint the console uses. Views never call fetch: they get
 * this object from ApiContext, so tests can hand them a fake (test/testUtils.tsx).
 */
import { createCaller, type HttpOptions } from './http';
import type * as S from './schema.gen';
import type {
  DeadLetterQuery,
  DeadLetterResubmitBody,
  QueueConfigBody,
  ScheduledQuery,
  SubmitTaskBody,
  TaskListQuery,
  TaskType,
} from './types';

export const DEFAULT_API_BASE = '/api';

export function createApiClient(options: Partial<HttpOptions> & Pick<HttpOptions, 'tokens'>) {
  const call = createCaller({
    baseUrl: options.baseUrl ?? DEFAULT_API_BASE,
    // Bound: window.fetch throws "Illegal invocation" when called as a method of another object.
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    tokens: options.tokens,
  });
  const task = (id: string) => ({ task_id: id });

  return {
    /** Registered task types with their parameter JSON Schemas (GET /task-types). */
    async getTaskTypes(): Promise<TaskType[]> {
      const { task_types } = await call('getTaskTypes', {});
      return task_types.map((t) => ({
        name: t.name,
        version: t.version,
        parametersSchema: (t.parameters_schema as TaskType['parametersSchema']) ?? null,
      }));
    },
    getStats: async () => (await call('getStats', {})).queues,
    getWorkers: async () => (await call('getWorkers', {})).workers,
    getTaskList: (query: TaskListQuery) => call('getTaskList', { query }),
    getTask: (id: string) => call('getTask', { params: task(id) }),
    getActiveTasks: async (queue?: string) => (await call('getActiveTasks', { query: { queue } })).tasks,
    getScheduledTasks: async (query: ScheduledQuery) => (await call('getScheduledTasks', { query })).tasks,
    submitTask: (body: SubmitTaskBody) => call('submitTask', { body }),
    scheduleTask: (body: S.ScheduleTaskBody) => call('scheduleTask', { body }),
    cancelTask: (id: string) => call('cancelTask', { params: task(id) }),
    cancelTasks: (ids: string[]) => call('cancelTasks', { body: { task_ids: ids } }),
    resubmitTask: (id: string, resetRetryCount: boolean) =>
      call('resubmitTask', { params: task(id), body: { reset_retry_count: resetRetryCount } }),
    getDeadLetters: async (query: DeadLetterQuery) => (await call('getDeadLetterQueue', { query })).tasks,
    getDeadLetterHistory: async (id: string) => (await call('getDeadLetterHistory', { params: task(id) })).history,
    resubmitDeadLetters: (body: DeadLetterResubmitBody) => call('resubmitFromDeadLetterQueue', { body }),
    removeDeadLetters: (ids: string[]) => call('removeFromDeadLetterQueue', { body: { task_ids: ids } }),
    getQueues: async () => (await call('getAllQueues', {})).queues,
    getQueueConfig: async (name: string) => (await call('getQueueConfig', { params: { queue_name: name } })).queue,
    createQueue: (body: QueueConfigBody) => call('createQueue', { body }),
    updateQueue: (name: string, body: S.UpdateQueueBody) => call('updateQueue', { params: { queue_name: name }, body }),
    deleteQueue: (name: string) => call('deleteQueue', { params: { queue_name: name } }),
    getRoles: async () => (await call('getRoles', {})).roles,
    getRole: (name: string) => call('getRole', { params: { role_name: name } }),
    createRole: (name: string, queues: string[]) => call('createRole', { body: { name, queues } }),
    updateRole: (name: string, queues: string[]) => call('updateRole', { params: { role_name: name }, body: queues }),
    deleteRole: (name: string) => call('deleteRole', { params: { role_name: name } }),
  };
}

export type Api = ReturnType<typeof createApiClient>;
