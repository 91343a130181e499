/** Builds the admin console (frontend/dist) when it is missing or older than its sources. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/processes.js';

export const UI_DIST = join(ROOT, 'frontend/dist');
const SOURCES = ['src', 'index.html', 'vite.config.ts', 'package.json', '../openapi.json'].map((p) =>
  join(ROOT, 'frontend', p),
);

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

export function ensureUiBuilt(): void {
  const index = join(UI_DIST, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt > 0 && builtAt >= Math.max(...SOURCES.map(newestMtime))) return;
  execFileSync('npm', ['run', 'build', '-w', 'frontend'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
}
