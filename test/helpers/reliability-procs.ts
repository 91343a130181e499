/**
 * Real jobbers processes for the reliability suite: `node --import tsx src/cli/<cli>.ts`, exactly
 * what an operator runs. Every child is tracked so a test can kill whatever is left in afterAll,
 * even when an assertion failed half-way, and a process 'exit' hook SIGKILLs stragglers if the test
 * runner itself goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FIXTURE_TASKS, REPO_ROOT } from './reliability-env.js';

export type CliName = 'worker' | 'scheduler' | 'cleaner';

/** How long a CLI may take to start on a loaded two-core machine (tsx + OpenTelemetry: seconds of CPU each). */
export const STARTUP_MS = 60_000;

/** One pino JSON line (or a raw line that was not JSON). */
export interface LogLine {
  level?: number;
  msg?: string;
  time?: number;
  raw: string;
  at: number;
  [key: string]: unknown;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

const live = new Set<CliProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) {
      try {
        c.proc.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export class CliProcess {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly name: string;
  readonly spawnedAt = Date.now();
  readonly logs: LogLine[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<ExitInfo>;
  exit: ExitInfo | null = null;
  private readonly watchers = new Set<(l: LogLine) => void>();

  constructor(cli: CliName, opts: { name: string; env: Record<string, string>; args?: string[] }) {
    this.name = opts.name;
    const env: Record<string, string> = {};
    // The parent's own Redis/OTel settings must not leak into the child.
    for (const [k, v] of Object.entries(process.env)) {
      if (v !== undefined && !k.startsWith('OTEL_') && !k.startsWith('WORKER_') && !k.startsWith('SCHEDULER_'))
        env[k] = v;
    }
    Object.assign(env, { OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'info' }, opts.env);
    this.proc = spawn(process.execPath, ['--import', 'tsx', join('src', 'cli', `${cli}.ts`), ...(opts.args ?? [])], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.proc.pid === undefined) throw new Error(`Could not spawn ${cli} (${opts.name})`);
    this.pid = this.proc.pid;
    live.add(this);
    installExitHook();
    this.exited = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        this.exit = { code, signal, at: Date.now() };
        live.delete(this);
        resolve(this.exit);
      });
    });
    createInterface({ input: this.proc.stdout! }).on('line', (raw) => {
      let line: LogLine;
      try {
        line = { ...(JSON.parse(raw) as Record<string, unknown>), raw, at: Date.now() };
      } catch {
        line = { raw, at: Date.now() };
      }
      this.logs.push(line);
      for (const w of this.watchers) w(line);
    });
    createInterface({ input: this.proc.stderr! }).on('line', (raw) => {
      this.stderr.push(raw);
      const line: LogLine = { raw, at: Date.now(), stream: 'stderr' };
      for (const w of this.watchers) w(line);
    });
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Resolves with the first log line (past or future) matching `pred`. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.logs.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(watch);
        reject(
          new Error(
            `${this.name} (pid ${this.pid}) did not log the expected line within ${timeoutMs} ms` +
              `${this.exit ? ` (exited: ${JSON.stringify(this.exit)})` : ''}; stdout tail: ${this.logs
                .slice(-5)
                .map((l) => l.raw)
                .join(' | ')}; stderr tail: ${this.stderr.slice(-5).join(' | ')}`,
          ),
        );
      }, timeoutMs);
      const watch = (l: LogLine) => {
        if (!pred(l)) return;
        clearTimeout(timer);
        this.watchers.delete(watch);
        resolve(l);
      };
      this.watchers.add(watch);
      void this.exited.then(() => {
        if (!this.watchers.has(watch)) return;
        setTimeout(() => {
          if (!this.watchers.has(watch)) return;
          clearTimeout(timer);
          this.watchers.delete(watch);
          reject(
            new Error(
              `${this.name} (pid ${this.pid}) exited ${JSON.stringify(this.exit)} before logging the expected line; stderr: ${this.stderr.slice(-10).join(' | ')}`,
            ),
          );
        }, 100);
      });
    });
  }

  /** Sends `signal` and resolves when the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitInfo> {
    if (this.exit) return this.exit;
    this.proc.kill(signal);
    return this.exited;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.proc.kill(signal);
  }

  /** Text of every stdout and stderr line, for assertions on what an operator would see. */
  output(): string {
    return [...this.logs.map((l) => l.raw), ...this.stderr].join('\n');
  }
}

export function spawnCli(
  cli: CliName,
  opts: { name: string; env: Record<string, string>; args?: string[] },
): CliProcess {
  return new CliProcess(cli, opts);
}

/** A worker CLI on the suite's fixture task module (test/reliability/fixtures/tasks.ts). */
export function spawnWorker(name: string, env: Record<string, string>): CliProcess {
  return spawnCli('worker', { name, env, args: [FIXTURE_TASKS] });
}

/** A worker's id ("host:pid:owner36") from its start line; `owner` is the lease token in task records. */
export async function workerIdentity(
  p: CliProcess,
  timeoutMs = STARTUP_MS,
): Promise<{ id: string; owner: number; readyAt: number }> {
  const line = await p.waitForLog((l) => l.msg === 'Worker started', timeoutMs);
  const id = String(line.id);
  const owner = parseInt(id.slice(id.lastIndexOf(':') + 1), 36);
  return { id, owner, readyAt: line.at };
}

/** Resolves with a scheduler's start line. */
export function schedulerStarted(p: CliProcess, timeoutMs = STARTUP_MS): Promise<LogLine> {
  return p.waitForLog((l) => l.msg === 'Scheduler started', timeoutMs);
}

/** SIGKILLs every child this file started that is still running (afterAll / afterEach). */
export async function killAllChildren(): Promise<void> {
  const left = [...live];
  await Promise.all(left.map((c) => c.kill('SIGKILL')));
}
