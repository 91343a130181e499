/**
 * Every TanStack Query key the console uses. Keys are nested by area so a mutation can
 * invalidate a whole area (`queryKeys.tasks.all`) without knowing which lists are on screen.
 */
import type { DeadLetterQuery, ScheduledQuery, TaskListQuery } from '../api/types';

const root = ['jobbers'] as const;

export const queryKeys = {
  all: root,
  taskTypes: () => [...root, 'task-types'] as const,
  system: {
    all: [...root, 'system'] as const,
    stats: () => [...root, 'system', 'stats'] as const,
    workers: () => [...root, 'system', 'workers'] as const,
  },
  tasks: {
    all: [...root, 'tasks'] as const,
    list: (query: TaskListQuery) => [...root, 'tasks', 'list', query] as const,
    detail: (id: string) => [...root, 'tasks', 'detail', id] as const,
    active: (queue?: string) => [...root, 'tasks', 'active', queue ?? null] as const,
    scheduled: (query: ScheduledQuery) => [...root, 'tasks', 'scheduled', query] as const,
  },
  deadLetters: {
    all: [...root, 'dlq'] as const,
    list: (query: DeadLetterQuery) => [...root, 'dlq', 'list', query] as const,
    history: (id: string) => [...root, 'dlq', 'history', id] as const,
  },
  config: {
    all: [...root, 'config'] as const,
    queues: () => [...root, 'config', 'queues'] as const,
    queue: (name: string) => [...root, 'config', 'queue', name] as const,
    roles: () => [...root, 'config', 'roles'] as const,
    role: (name: string) => [...root, 'config', 'role', name] as const,
  },
};
