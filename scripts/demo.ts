/**
 * `npm run demo`: a manager, a worker and a scheduler on examples/tasks.ts, a few example
 * submissions, and their outcomes. Uses REDIS_URL; when it is unset and nothing answers on
 * localhost:6379, starts a private redis-server (if one is on PATH) and says so.
 * `--once` exits after printing the outcomes (used by the test of this command).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { createClient } from '../src/client.js';
import { alwaysFailTask, echoTask, scheduledFailTask } from '../examples/tasks.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const children: ChildProcess[] = [];
const say = (msg: string) => process.stdout.write(`[demo] ${msg}\n`);

async function redisAnswers(url: string): Promise<boolean> {
  const r = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
  });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function ensureRedis(): Promise<string> {
  if (process.env.REDIS_URL) return process.env.REDIS_URL;
  const url = 'redis://localhost:6379';
  if (await redisAnswers(url)) return url;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jobbers-demo-redis-'));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('error', () =>
      reject(
        new Error(
          'No Redis answers on localhost:6379 and redis-server is not on PATH: install Redis (apt-get install redis-server) or set REDIS_URL',
        ),
      ),
    );
    child.once('spawn', () => resolve());
  });
  children.push(child);
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(privateUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  say(`No Redis on localhost:6379: started a private redis-server on port ${port} (stopped with the demo)`);
  return privateUrl;
}

function start(cli: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli', `${cli}.ts`), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

function stopAll(): Promise<void> {
  return Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5000).unref();
        }),
    ),
  ).then(() => undefined);
}

async function main(): Promise<void> {
  const once = process.argv.includes('--once');
  const redisUrl = await ensureRedis();
  const sqlPath = process.env.SQL_PATH ?? 'sqlite+aiosqlite:///jobbers.db';
  const env = {
    REDIS_URL: redisUrl,
    SQL_PATH: sqlPath,
    WORKER_TTL: '0',
    SCHEDULER_POLL_INTERVAL: '1',
    OTEL_SDK_DISABLED: process.env.OTEL_SDK_DISABLED ?? 'true',
    LOG_LEVEL: 'warn',
  };
  const client = await createClient({ redisUrl, sqlPath }); // also runs the SQL migrations
  const module = join(ROOT, 'examples/tasks.ts');
  if (existsSync(join(ROOT, 'src/cli/manager.ts'))) {
    start('manager', [module], { ...env, PORT: process.env.PORT ?? '8000' });
    say(`Manager: http://localhost:${process.env.PORT ?? '8000'}  (API docs at /docs, admin UI at /)`);
  }
  start('worker', [module], env);
  start('scheduler', [], env);
  say(`Worker and scheduler started on ${redisUrl}, config in ${sqlPath}`);

  const submitted = [
    await client.submit(echoTask, { value: 'hello from the demo' }),
    await client.submit(alwaysFailTask, {}),
    await client.submit(scheduledFailTask, {}),
    await client.schedule(echoTask, { value: 'two seconds later' }, Date.now() + 2000),
  ];
  for (const s of submitted) say(`submitted ${s.name} ${s.id} (${s.status})`);
  for (const s of submitted) {
    const t = await client.waitForTask(s.id, { timeoutMs: 60_000 });
    const detail =
      t.status === 'completed'
        ? `results ${JSON.stringify(t.results)}`
        : `${t.errors.length} error(s), last: ${t.errors.at(-1)?.error}`;
    say(`${t.name} ${t.id}: ${t.status} after ${t.retryAttempt} retr${t.retryAttempt === 1 ? 'y' : 'ies'}; ${detail}`);
  }
  if (once) {
    await client.close();
    await stopAll();
    say('done');
    return;
  }
  say('Running; press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await client.close();
  await stopAll();
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`[demo] ${(err as Error).message}\n`);
    await stopAll();
    process.exit(1);
  },
);
