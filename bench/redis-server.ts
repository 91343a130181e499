/**
 * A private redis-server for the bench and the micro-benchmarks: a free port, no persistence,
 * default settings otherwise (hz 10), its log in `dir`. The caller stops it (proc.kill()).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { sleep } from './common.js';
import { adminRedis } from './systems.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startRedis(dir: string): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--logfile',
      join(dir, 'redis.log'),
    ],
    { stdio: 'ignore' },
  );
  proc.on('error', (err) => {
    process.stderr.write(
      `Cannot start redis-server (${err.message}); install it with: apt-get install -y redis-server\n`,
    );
    process.exit(1);
  });
  const url = `redis://127.0.0.1:${port}`;
  const admin = adminRedis(url);
  admin.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await admin.ping();
      break;
    } catch (err) {
      if (i > 100 || proc.exitCode !== null)
        throw new Error(`redis-server did not come up on port ${port}: ${(err as Error).message}`);
      await sleep(50);
    }
  }
  admin.disconnect();
  return { url, proc };
}
