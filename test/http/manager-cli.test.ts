/**
 * The real `jobbers_manager` CLI as a child process, driven with the curl commands of the
 * operations guide (verbatim, only the port changed), then stopped with SIGTERM.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../helpers/stack.js';
import { createStack, type Stack } from '../helpers/stack.js';
import { exampleTasks } from './http-stack.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sh(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('sh', ['-c', command], { cwd: ROOT, timeout: 20_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

let hasCurl = false;

/**
 * Runs a guide example. With curl installed it runs verbatim through sh; otherwise the same
 * request is made with fetch (method, URL, header and body parsed from the command).
 */
async function run(example: string, port: number): Promise<any> {
  const command = example.replaceAll('localhost:8000', `localhost:${port}`);
  if (hasCurl) {
    const r = await sh(command);
    expect(r.code, `${command}\n${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout);
  }
  const url = /(https?:\/\/[^\s"']+)/.exec(command)?.[1] as string;
  const body = /-d '([^']*)'/.exec(command)?.[1];
  const res = await fetch(url.replace('localhost', '127.0.0.1'), {
    method: /-X POST|-d '/.test(command) ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body,
  });
  return res.json();
}

describe('jobbers_manager CLI', () => {
  let stack: Stack;
  let child: ChildProcess;
  let port = 0;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    hasCurl = (await sh('command -v curl')).code === 0;
    stack = await createStack(exampleTasks);
    child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/manager.ts', 'examples/tasks.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...stack.env, PORT: '0', OTEL_SDK_DISABLED: 'true', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((r) => child.on('exit', (code) => r(code)));
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    await waitUntil(
      () => /Manager listening on http:\/\/127\.0\.0\.1:(\d+)/.test(output) || child.exitCode !== null,
      30_000,
      50,
    );
    const match = /Manager listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
    if (!match) throw new Error(`manager did not start:\n${output}`);
    port = Number(match[1]);
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await stack.close();
  });

  it('answers the operations guide examples', async () => {
    const submitted = await run(
      `curl -X POST http://localhost:8000/submit-task -H 'Content-Type: application/json' -d '{"name":"echo_task","version":1,"parameters":{"value":"hi"}}'`,
      port,
    );
    expect(submitted).toMatchObject({
      message: 'Task submitted successfully',
      task: { name: 'echo_task', version: 1, queue: 'default', status: 'submitted', parameters: { value: 'hi' } },
    });
    const id = submitted.task.id as string;

    // No worker yet: the task waits in the queue.
    const list = await run(`curl "http://localhost:8000/task-list?status=submitted&queue=default"`, port);
    expect(list.total).toBe(1);
    expect(list.tasks.map((t: { id: string }) => t.id)).toEqual([id]);
    expect(await run('curl http://localhost:8000/active-tasks', port)).toEqual({ tasks: [] });

    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled: any = await (
      await fetch(`http://127.0.0.1:${port}/schedule-task`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ task: { name: 'echo_task', version: 1 }, run_at: runAt }),
      })
    ).json();
    const sched = await run('curl http://localhost:8000/scheduled-tasks?queue=default', port);
    expect(sched.tasks).toEqual([
      expect.objectContaining({ id: scheduled.task.id, status: 'scheduled', scheduled_at: runAt }),
    ]);

    await stack.startWorker(exampleTasks);
    await stack.client.waitForTask(id);
    const failing = await run(
      `curl -X POST http://localhost:8000/submit-task -H 'Content-Type: application/json' -d '{"name":"always_fail_task","version":1}'`,
      port,
    );
    const failedId = failing.task.id as string;
    expect((await stack.client.waitForTask(failedId)).status).toBe('failed');

    const dlq = await run(`curl "http://localhost:8000/dead-letter-queue?task_name=always_fail_task&limit=10"`, port);
    expect(dlq.tasks).toEqual([
      expect.objectContaining({ id: failedId, status: 'failed', queue: 'default', last_error: 'always fails' }),
    ]);
    const history = await run(`curl http://localhost:8000/dead-letter-queue/${failedId}/history`, port);
    expect(history.task_id).toBe(failedId);
    expect(history.history).toHaveLength(3);
    expect(history.history[2]).toEqual({
      attempt: 2,
      timestamp: expect.stringMatching(/Z$/),
      error: 'always fails',
      type: 'CustomError',
    });
  });

  it('stops gracefully on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('refuses to start without a task module', async () => {
    const r = await sh(`"${process.execPath}" --import tsx src/cli/manager.ts`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobbers_manager: A task module is required');
  });
});
