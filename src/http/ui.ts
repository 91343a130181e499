/**
 * The admin console (frontend/, built by `npm run build -w frontend` into frontend/dist) served
 * by the Manager itself at `/ui/`, next to the API it calls under `/api`. Hashed assets are
 * cached for a year; `index.html` is revalidated on every load so a new build is picked up at
 * once. Any other `/ui/*` path is a client-side route and gets `index.html` (SPA fallback),
 * except under `/ui/assets/`, where a missing file is a real 404.
 *
 * Without a build the Manager runs as before and logs how to get the console.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const UI_PREFIX = '/ui';

export interface UiOptions {
  /** The Vite build output (the folder holding index.html). */
  distDir: string;
}

/** frontend/dist of this package: src/http/ and dist/http/ both sit two levels below the root. */
export function defaultUiDistDir(): string {
  return fileURLToPath(new URL('../../frontend/dist', import.meta.url));
}

/**
 * Serves the console at `/ui/` (and redirects `/ui` there). Returns false, after logging a hint,
 * when `distDir` holds no build. Register it before `listen`/`ready`.
 */
export async function registerUi(app: FastifyInstance, { distDir }: UiOptions): Promise<boolean> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) {
    app.log.info(
      { distDir: root },
      'Admin UI not built, so /ui/ is not served: run `npm run build -w frontend` and restart the Manager',
    );
    return false;
  }

  app.get(UI_PREFIX, { schema: { hide: true } }, (_req, reply) => reply.redirect(`${UI_PREFIX}/`));

  await app.register(
    async (ui) => {
      await ui.register(fastifyStatic, {
        root,
        prefix: '/',
        index: 'index.html',
        schemaHide: true,
        setHeaders: (reply, path) => {
          const immutable = path.includes(`${join(root, 'assets')}`);
          reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      // Scoped to /ui: the API keeps its own JSON 404s.
      ui.setNotFoundHandler((req, reply) => {
        const path = req.url.split('?')[0] ?? '';
        const isAsset = path.startsWith(`${UI_PREFIX}/assets/`);
        if ((req.method !== 'GET' && req.method !== 'HEAD') || isAsset) {
          return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
        }
        reply.header('Cache-Control', 'no-cache');
        return reply.sendFile('index.html', root);
      });
    },
    { prefix: UI_PREFIX },
  );
  return true;
}
