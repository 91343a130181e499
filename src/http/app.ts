/**
 * The Manager's HTTP app. `buildApp` wires validation, the error model, CORS, auth, OpenAPI and
 * one route module per resource; it never listens (src/cli/manager.ts does), so tests drive it
 * with `inject()`. Every path is also reachable under `/api` (the admin UI's base URL): the prefix
 * is stripped before routing, so auth, validation and the OpenAPI document see one route table.
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { createSerializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { installAuth, isPublicRoute } from './auth.js';
import { installCors } from './cors.js';
import type { AppDeps } from './deps.js';
import { installErrorHandling, sendError } from './error-handler.js';
import { registerOpenApi } from './openapi.js';
import { cancellationRoutes } from './routes/cancellation.js';
import { deadLetterRoutes } from './routes/dead-letter.js';
import { queueRoutes } from './routes/queues.js';
import { roleRoutes } from './routes/roles.js';
import { rootRoutes } from './routes/root.js';
import { submissionRoutes } from './routes/submission.js';
import { systemRoutes } from './routes/system.js';
import { taskListRoutes } from './routes/task-lists.js';
import { taskRoutes } from './routes/tasks.js';

export type { AppDeps } from './deps.js';

const ROUTE_MODULES = [
  rootRoutes,
  submissionRoutes,
  taskRoutes,
  taskListRoutes,
  cancellationRoutes,
  deadLetterRoutes,
  queueRoutes,
  roleRoutes,
  systemRoutes,
];

export interface RouteInfo {
  method: string;
  url: string;
  /** Reachable without a token (see auth.ts). */
  public: boolean;
}

const routeTables = new WeakMap<FastifyInstance, RouteInfo[]>();

/** Every route buildApp registered (tests iterate it so that no new route escapes auth checks). */
export function listRoutes(app: FastifyInstance): readonly RouteInfo[] {
  return routeTables.get(app) ?? [];
}

/**
 * Task results are whatever a handler returned, decoded from msgpack: a 64-bit integer comes back
 * as a BigInt, which JSON.stringify refuses. Show it as a number when exact, else as a string.
 */
const serializerCompiler = createSerializerCompiler({
  replacer: (_key, value: unknown) =>
    typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()) : value,
});

/** `/api/x?y` → `/x?y`, `/api` → `/`; anything else unchanged (`/apis` is not the prefix). */
export function stripApiPrefix(url: string): string {
  if (!/^\/api(?=[/?#]|$)/.test(url)) return url;
  const rest = url.slice(4);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: deps.settings.bodyLimit,
    rewriteUrl: (req) => stripApiPrefix(req.url ?? '/'),
    // Errors are logged by the error handler; one line per request would drown them.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: (err, _req, reply) => {
      sendError(reply, 400, `Malformed request URL: ${err.message}`);
    },
  }).withTypeProvider<ZodTypeProvider>();

  const routes: RouteInfo[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, public: isPublicRoute(r.url) });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app, deps.settings.bodyLimit);
  installCors(app, deps.settings.corsOrigins);
  installAuth(app, deps.settings);
  await registerOpenApi(app);
  for (const routes of ROUTE_MODULES) await app.register(routes, { deps });
  return app;
}
