/**
 * Private redis-server instances for the reliability suite: one per test file, on a free port, in
 * a temporary directory, so a test may restart, kill or misconfigure its Redis without touching
 * anyone else's. close() kills the server and deletes its directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sleep } from './reliability-env.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const servers = new Set<PrivateRedis>();
let hook = false;

export class PrivateRedis {
  readonly dir = mkdtempSync(join(tmpdir(), 'jobbers-rel-redis-'));
  proc: ChildProcess | null = null;
  /** When the server last answered PING after a (re)start. */
  readyAt = 0;
  private stderr = '';

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  /** Starts redis-server with `args` (e.g. ['--appendonly', 'yes']) on a free port. */
  static async start(args: string[] = []): Promise<PrivateRedis> {
    const r = new PrivateRedis(await freePort(), args);
    servers.add(r);
    if (!hook) {
      hook = true;
      process.on('exit', () => {
        for (const s of servers) s.proc?.kill('SIGKILL');
      });
    }
    await r.launch();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** A plain admin connection that does not retry (for probes while the server may be down). */
  connect(): Redis {
    return new Redis(this.url, { maxRetriesPerRequest: null, connectionName: 'reliability-probe' });
  }

  async launch(): Promise<void> {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--logfile',
        '',
        ...this.args,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    proc.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc = proc;
    const probe = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    probe.on('error', () => undefined);
    const deadline = Date.now() + 20_000;
    try {
      for (;;) {
        try {
          if (probe.status !== 'ready') await probe.connect();
          // LOADING replies an error until the AOF has been replayed.
          if ((await probe.ping()) === 'PONG') break;
        } catch {
          probe.disconnect();
        }
        if (!this.running) throw new Error(`redis-server on port ${this.port} exited: ${this.stderr.slice(-500)}`);
        if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer PING within 20 s`);
        await sleep(20);
      }
    } finally {
      probe.disconnect();
    }
    this.readyAt = Date.now();
  }

  /** SIGKILL: the crash case. Resolves once the process is gone. */
  async crash(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  }

  /** SHUTDOWN command: the graceful case (Redis flushes its AOF and exits). */
  async shutdown(): Promise<void> {
    const proc = this.proc;
    if (!proc || !this.running) return;
    const gone = new Promise((r) => proc.once('exit', r));
    const admin = new Redis(this.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    await admin.call('SHUTDOWN').catch(() => undefined); // the connection closes instead of replying
    admin.disconnect();
    await gone;
  }

  async close(): Promise<void> {
    await this.crash();
    servers.delete(this);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
