/** What the HTTP app needs from the process that hosts it. */
import type { FastifyBaseLogger } from 'fastify';
import type { Runtime } from '../runtime/compose.js';
import type { Settings } from '../runtime/settings.js';
import type { TaskRegistry } from '../tasks/registry.js';

/** The parts of the composition root the routes use (tests pass a real Runtime). */
export type ManagerRuntime = Pick<Runtime, 'store' | 'config' | 'tasks' | 'redis' | 'notifyConfigChanged'>;

export interface AppDeps {
  runtime: ManagerRuntime;
  /** The Manager's task module: `GET /` lists it and submissions are validated against it. */
  registry: TaskRegistry;
  settings: Pick<Settings, 'apiToken' | 'readonlyToken' | 'corsOrigins' | 'bodyLimit'>;
  /** Process logger; omitted = silent (tests, jobbers_openapi). */
  logger?: FastifyBaseLogger;
}
