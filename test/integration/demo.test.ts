/** The README's main command: `npm run demo` (here with --once) runs the example tasks end to end. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { REDIS_URL } from '../helpers/stack.js';
import { ROOT } from '../helpers/processes.js';

describe('npm run demo', () => {
  it('starts the processes, runs the examples and reports each outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobbers-demo-'));
    const prefix = `d${randomBytes(4).toString('hex')}`;
    const child = spawn('npm', ['run', '--silent', 'demo', '--', '--once'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_URL,
        SQL_PATH: `sqlite:///${join(dir, 'demo.db')}`,
        JOBBERS_PREFIX: prefix,
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    expect(code, out).toBe(0);
    expect(out).toMatch(/echo_task \w{26}: completed .*results \{"value":"hello from the demo"\}/);
    expect(out).toMatch(/always_fail_task \w{26}: failed after 2 retries; 3 error\(s\), last: always fails/);
    expect(out).toMatch(/scheduled_fail_task \w{26}: failed after 2 retries/);
    expect(out).toMatch(/echo_task \w{26}: completed .*two seconds later/);
    expect(out).toMatch(/\[demo\] done/);
  });
});
