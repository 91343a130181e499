/**
 * The OpenAPI 3.1 document, generated from the zod route schemas (fastify-type-provider-zod +
 * @fastify/swagger): served at `/openapi.json`, browsable at `/docs`, written by jobbers_openapi
 * and checked in as `openapi.json` (the admin UI's contract; test/http/openapi.test.ts keeps it
 * current). Routes are listed once, at their root paths; the `/api` aliases are not repeated.
 */
import { readFileSync } from 'node:fs';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { TaskRegistry } from '../tasks/registry.js';
import type { ManagerRuntime } from './deps.js';

function packageVersion(): string {
  // src/http and dist/http both sit two levels below the package root.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

const DESCRIPTION = `HTTP API of the Jobbers Manager: submit, inspect and cancel tasks, manage the dead-letter queue,
queues and roles. Every path is also served under \`/api\`. Errors are \`{"detail": "<message>"}\`;
request validation errors are 422 \`{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}\`.
When the Manager runs with JOBBERS_API_TOKEN, send \`Authorization: Bearer <token>\`.`;

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Jobbers Manager API', version: packageVersion(), description: DESCRIPTION },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'JOBBERS_API_TOKEN or JOBBERS_READONLY_TOKEN' },
        },
      },
      // Optional: the Manager asks for a token only when one is configured.
      security: [{}, { bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

/**
 * A runtime for document generation only. Route modules may keep references to its members when
 * they are registered; calling any of them is a bug, reported loudly.
 */
function unavailableRuntime(path = 'runtime'): ManagerRuntime {
  const fail = () => {
    throw new Error(`The OpenAPI generator has no runtime (called ${path})`);
  };
  return new Proxy(fail, {
    get: (_target, prop) => unavailableRuntime(`${path}.${String(prop)}`),
    apply: fail,
  }) as unknown as ManagerRuntime;
}

/** The file format of the checked-in `openapi.json`: 2-space indent and a final newline. */
export function formatOpenApiDocument(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The document, built in-process without Redis, SQL or telemetry (jobbers_openapi, tests). */
export async function buildOpenApiDocument(): Promise<Record<string, unknown>> {
  // Imported here: app.ts imports this module for registerOpenApi.
  const { buildApp } = await import('./app.js');
  const app = await buildApp({
    runtime: unavailableRuntime(),
    registry: new TaskRegistry(),
    settings: { apiToken: null, readonlyToken: null, corsOrigins: [], bodyLimit: 1_048_576 },
  });
  try {
    await app.ready();
    return app.swagger() as unknown as Record<string, unknown>;
  } finally {
    await app.close();
  }
}
