/**
 * CORS, off unless JOBBERS_CORS_ORIGINS lists origins (`*` allows any). The admin UI is normally
 * served from the same origin or behind a proxy under `/api`, so no headers are sent by default.
 * Registered before auth so that browser preflights (which carry no token) get their answer.
 */
import type { FastifyInstance } from 'fastify';

const ALLOW_METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type';

export function installCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const any = origins.includes('*');
  const allowed = new Set(origins);

  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (typeof origin !== 'string' || (!any && !allowed.has(origin))) return;
    reply.header('Access-Control-Allow-Origin', any ? '*' : origin);
    reply.header('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      reply.header('Access-Control-Allow-Methods', ALLOW_METHODS);
      reply.header('Access-Control-Allow-Headers', ALLOW_HEADERS);
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    }
  });
}
