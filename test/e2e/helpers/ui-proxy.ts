/**
 * Stand-in for the Manager's own /ui/ (src/http/ui.ts) while it is not wired or not reachable
 * without a token: serves frontend/dist at /ui/ with the SPA fallback and forwards /api/* to the
 * Manager unchanged (the Manager strips the prefix itself).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

export async function startUiProxy(
  distDir: string,
  managerUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const manager = new URL(managerUrl);
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/api' || path.startsWith('/api/')) {
      const upstream = request(
        { host: manager.hostname, port: manager.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
      return;
    }
    if (!path.startsWith('/ui/')) return void res.writeHead(302, { location: '/ui/' }).end();
    const file = normalize(join(distDir, path.slice('/ui/'.length)));
    const isFile = file.startsWith(distDir) && existsSync(file) && statSync(file).isFile();
    if (!isFile && path.startsWith('/ui/assets/')) return void res.writeHead(404).end();
    const target = isFile ? file : join(distDir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream' });
    createReadStream(target).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
