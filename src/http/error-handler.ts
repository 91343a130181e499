/**
 * The error model of the API (spec §8 general rules, DESIGN.md §2.7):
 * - request validation → 422 `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}` (FastAPI's shape);
 * - a JobbersError → its catalogue status with `{"detail": message}`;
 * - malformed JSON → 422 (type `json_invalid`), oversized body → 413, wrong media type → 415,
 *   unknown route → 404 `{"detail": "Not Found"}`;
 * - anything else is a bug: logged with its stack, answered 500 `{"detail": "Internal Server Error"}`.
 * Bad input never produces a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { JobbersError } from '../errors.js';

export interface ValidationItem {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

const LOC_PREFIX: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function toValidationItems(err: FastifyError): ValidationItem[] {
  const prefix = LOC_PREFIX[err.validationContext ?? 'body'] ?? 'body';
  return (err.validation ?? []).map((v) => {
    const path = (v.instancePath ?? '')
      .split('/')
      .filter((s) => s !== '')
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    // Fastify validates an absent body as null: report that as a missing body, not a null one.
    const missing =
      /received undefined$/.test(v.message ?? '') ||
      (path.length === 0 && prefix === 'body' && /received null$/.test(v.message ?? ''));
    return {
      loc: [prefix, ...path],
      msg: missing ? 'Field required' : (v.message ?? 'Invalid value'),
      type: missing ? 'missing' : v.keyword,
    };
  });
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as FastifyError).code === 'string';
}

export function sendError(reply: FastifyReply, status: number, detail: string | ValidationItem[]): FastifyReply {
  return reply.code(status).type('application/json').send({ detail });
}

export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  // Bodies are parsed by the default (prototype-poisoning-safe) parser, except that an empty body
  // counts as "no body": clients send `Content-Type: application/json` on body-less POSTs
  // (`/task/{id}/cancel`), and routes that need a body then answer 422 "Field required".
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return parseJson(req, body as string, done);
  });

  app.setNotFoundHandler((_req, reply) => sendError(reply, 404, 'Not Found'));

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err) || (isFastifyError(err) && Array.isArray(err.validation))) {
      return sendError(reply, 422, toValidationItems(err as FastifyError));
    }
    if (err instanceof JobbersError) {
      if (err.httpStatus >= 500) req.log.error({ err }, 'request failed');
      return sendError(reply, err.httpStatus, err.message);
    }
    if (isFastifyError(err)) {
      switch (err.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return sendError(reply, 422, [
            {
              loc: ['body'],
              msg: 'JSON decode error: the body is not valid JSON (or uses a __proto__ or constructor key)',
              type: 'json_invalid',
            },
          ]);
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return sendError(reply, 413, `Request body is larger than ${bodyLimit} bytes (JOBBERS_BODY_LIMIT)`);
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return sendError(
            reply,
            415,
            `Unsupported Content-Type ${JSON.stringify(req.headers['content-type'] ?? '')}; send application/json`,
          );
      }
      const status = err.statusCode ?? 500;
      if (status >= 400 && status < 500) return sendError(reply, status, err.message);
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'Internal Server Error');
  });
}
