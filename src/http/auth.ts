/**
 * Optional bearer-token auth (spec B30). With JOBBERS_API_TOKEN (or JOBBERS_READONLY_TOKEN) set,
 * every request needs `Authorization: Bearer <token>`, except the public paths below:
 * - `/healthz`, so load balancers and orchestrators can probe without a secret;
 * - the API description (`/openapi.json`, `/docs`): it is checked into the repository, so hiding
 *   it protects nothing, and a browser cannot attach a bearer token when it opens `/docs`
 *   (the page has an "Authorize" button for the calls it makes);
 * - the admin UI's static files under `/ui` (src/http/ui.ts): a browser loads them without a
 *   token; the data they show comes from `/api` calls, which do need one.
 * The read-only token may call GET/HEAD only (403 elsewhere). Tokens are compared in constant
 * time: both sides are hashed first, so neither length nor content leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from './error-handler.js';

const PUBLIC_ROUTE = /^\/(healthz|openapi\.json|docs|ui)(\/|$)/;
const READ_METHODS = new Set(['GET', 'HEAD']);

export interface AuthSettings {
  apiToken: string | null;
  readonlyToken: string | null;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

/** True when the route is reachable without a token. Unknown routes are not public. */
export function isPublicRoute(url: string | undefined): boolean {
  return url !== undefined && PUBLIC_ROUTE.test(url);
}

export function installAuth(app: FastifyInstance, settings: AuthSettings): void {
  if (!settings.apiToken && !settings.readonlyToken) return;
  const full = settings.apiToken ? digest(settings.apiToken) : null;
  const readonly = settings.readonlyToken ? digest(settings.readonlyToken) : null;

  app.addHook('onRequest', async (req, reply) => {
    if (isPublicRoute(req.routeOptions.url)) return;
    const token = bearerToken(req);
    if (token === null) {
      reply.header('WWW-Authenticate', 'Bearer');
      return sendError(
        reply,
        401,
        'Not authenticated: send the header "Authorization: Bearer <token>" (JOBBERS_API_TOKEN)',
      );
    }
    const given = digest(token);
    if (full && timingSafeEqual(given, full)) return;
    if (readonly && timingSafeEqual(given, readonly)) {
      if (READ_METHODS.has(req.method)) return;
      return sendError(
        reply,
        403,
        `The read-only token may only call GET endpoints; ${req.method} needs JOBBERS_API_TOKEN`,
      );
    }
    reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    return sendError(reply, 401, 'Invalid bearer token');
  });
}
