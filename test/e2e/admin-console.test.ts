/**
 * The admin console end to end: a real Manager (with JOBBERS_API_TOKEN), worker and scheduler
 * on Redis + SQLite, and the built UI driven in headless Chromium. Operator journeys: log in with
 * the token, submit a task from the form and watch it complete, cancel a running task, resubmit
 * from the dead-letter queue, create a rate-limited queue and give it to a role. Every page is
 * saved under e2e-screenshots/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, spawnCli, type CliProcess } from '../helpers/processes.js';
import { REDIS_URL, waitUntil } from '../helpers/stack.js';
import { UI_DIST, ensureUiBuilt } from './helpers/ui-build.js';
import { startUiProxy } from './helpers/ui-proxy.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'e2e-screenshots');
const TOKEN = randomBytes(12).toString('hex');
const prefix = `e2e${randomBytes(4).toString('hex')}`;

let dir = '';
let procs: CliProcess[] = [];
let proxy: { url: string; close(): Promise<void> } | null = null;
let browser: Browser;
let page: Page;
let managerUrl = '';
let uiUrl = '';

/** The Manager API, as the console's operator would call it. */
async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${managerUrl}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { Authorization: `Bearer ${TOKEN}`, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

interface Task {
  id: string;
  status: string;
  errors: unknown[];
}
const getTask = (id: string) => api<Task>(`/tasks/${id}`);
const submit = async (body: unknown) => (await api<{ task: Task }>('/submit-task', { body })).task;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function open(path: string): Promise<void> {
  await page.goto(`${uiUrl}/ui${path}`);
}

/** The pill in the task page header (the page polls every 2 s until the task finishes). */
async function waitForStatus(status: string, timeout = 20_000): Promise<void> {
  await page.locator('h1 + span', { hasText: new RegExp(`^${status}$`) }).waitFor({ timeout });
}

describe('admin console (browser)', () => {
  beforeAll(async () => {
    ensureUiBuilt();
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'jobbers-e2e-'));
    const env = {
      REDIS_URL,
      SQL_PATH: `sqlite:///${join(dir, 'x.db')}`,
      JOBBERS_PREFIX: prefix,
      LOG_LEVEL: 'info',
    };
    const manager = spawnCli('manager', ['examples/tasks.ts'], { ...env, PORT: '0', JOBBERS_API_TOKEN: TOKEN });
    procs.push(manager);
    const [, port] = await manager.waitForOutput(/Manager listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000);
    managerUrl = `http://127.0.0.1:${port}`;
    // Worker and scheduler start after the Manager has created the SQL schema.
    const worker = spawnCli('worker', ['examples/tasks.ts'], { ...env, WORKER_TTL: '0' });
    const scheduler = spawnCli('scheduler', [], env);
    procs.push(worker, scheduler);

    // The Manager serves the console itself once src/http/ui.ts is wired into the app; without
    // that (or while /ui needs a token), a static server with an /api proxy stands in.
    const probe = await fetch(`${managerUrl}/ui/`);
    const served = probe.ok && (probe.headers.get('content-type') ?? '').includes('text/html');
    await probe.text();
    if (served) uiUrl = managerUrl;
    else {
      proxy = await startUiProxy(UI_DIST, managerUrl);
      uiUrl = proxy.url;
    }
    process.stdout.write(`admin console e2e: UI served by ${served ? 'the Manager' : 'the test proxy'}\n`);

    const [b] = await Promise.all([
      chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      }),
      worker.waitForOutput(/Worker started/, 30_000),
      scheduler.waitForOutput(/Scheduler started/, 30_000),
    ]);
    browser = b;
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 5000))])));
    for (const p of procs) if (p.child.exitCode === null) p.kill('SIGKILL');
    procs = [];
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks for the token, submits a task from the form and shows it completing', async () => {
    await open('/submit');
    const dialog = page.getByRole('dialog', { name: 'API token' });
    await dialog.waitFor();
    await shot('token-prompt');
    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Use token' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByLabel('Task', { exact: true }).selectOption({ label: 'echo_task (v1)' });
    // echo_task declares a parameter schema, so the form is generated from it (GET /task-types).
    await page.locator('#param-value').fill('from the browser');
    await shot('submit');
    await page.getByRole('button', { name: 'Submit task' }).click();
    const link = page.getByRole('status').getByRole('link');
    await link.waitFor();
    const id = (await link.textContent()) ?? '';
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    await link.click();
    await waitForStatus('completed');
    await page.getByText('"from the browser"').first().waitFor();
    expect(await page.locator('section', { hasText: 'Results' }).textContent()).toContain('from the browser');
    await shot('task-detail');
    expect((await getTask(id)).status).toBe('completed');
  });

  it('cancels a running task', async () => {
    const task = await submit({ name: 'slow_task', version: 1, parameters: { seconds: 60 } });
    await waitUntil(async () => (await getTask(task.id)).status === 'started', 15_000, 100);
    await open('/');
    await page.getByRole('link', { name: task.id }).first().waitFor();
    await page.getByText('Collecting samples…').first().waitFor({ state: 'detached', timeout: 10_000 });
    await shot('dashboard');

    await open(`/tasks/${task.id}`);
    await waitForStatus('started');
    await page.getByRole('button', { name: 'Cancel task' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel task' }).click();
    await waitForStatus('cancelled');
    expect((await getTask(task.id)).status).toBe('cancelled');

    await open('/tasks?queue=default');
    await page.getByRole('link', { name: task.id }).waitFor();
    await shot('tasks');
  });

  it('shows a scheduled task counting down', async () => {
    const runAt = new Date(Date.now() + 10 * 60_000).toISOString();
    await api('/schedule-task', {
      body: { task: { name: 'echo_task', version: 1, parameters: { value: 'later' } }, run_at: runAt },
    });
    await open('/scheduled?queue=default');
    await page.getByText(/^in (9m|10m)/).waitFor();
    await shot('schedule');
  });

  it('resubmits a dead-lettered task, keeping its error history', async () => {
    const task = await submit({ name: 'always_fail_task', version: 1 });
    await waitUntil(
      async () => {
        const dlq = await api<{ tasks: Task[] }>('/dead-letter-queue');
        return dlq.tasks.some((t) => t.id === task.id);
      },
      20_000,
      100,
    );
    const attempts = (await getTask(task.id)).errors.length;
    expect(attempts).toBe(3); // maxRetries 2

    await open('/dlq?task_name=always_fail_task');
    const row = page.locator('tr', { has: page.getByRole('link', { name: task.id }) });
    await row.getByRole('button', { name: 'Errors' }).click();
    await page.getByText('Attempt 3').waitFor();
    await shot('dead-letters');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Resubmit selected (1)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Resubmit' }).click();
    await page.getByText('1 task resubmitted.').waitFor();
    // It runs again (and fails again): the history grows instead of starting over.
    await waitUntil(async () => (await getTask(task.id)).errors.length > attempts, 20_000, 100);
  });

  it('creates a rate-limited queue and assigns it to a role', async () => {
    await open('/queues');
    await page.getByRole('button', { name: 'New queue' }).click();
    const form = page.getByRole('form', { name: 'New queue' });
    await form.getByLabel('Name').fill('-bad');
    await form.getByRole('button', { name: 'Create queue' }).click();
    await form.getByText(/is not valid/).waitFor();
    await form.getByLabel('Name').fill('e2e_limited');
    await form.getByLabel('Max concurrent').fill('2');
    await form.getByLabel('Tasks').fill('5');
    await form.getByLabel('Window').fill('1');
    await form.getByLabel('Period').selectOption('minute');
    await form.getByRole('button', { name: 'Create queue' }).click();
    await page.getByText('Queue created successfully: e2e_limited').waitFor();
    await page.locator('tr', { hasText: 'e2e_limited' }).getByText('5 per minute').waitFor();
    await shot('queues');
    expect(await api('/queues/e2e_limited/config')).toEqual({
      queue: { name: 'e2e_limited', max_concurrent: 2, rate_numerator: 5, rate_denominator: 1, rate_period: 'minute' },
    });

    await open('/roles');
    await page.locator('tr', { hasText: 'default' }).getByRole('button', { name: 'Edit queues' }).click();
    const editor = page.getByRole('form', { name: 'Edit role default' });
    await editor.getByLabel('e2e_limited').check();
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Role updated successfully: default serves default, e2e_limited.').waitFor();
    await shot('roles');
    expect(await api('/roles/default')).toEqual({ role: 'default', queues: ['default', 'e2e_limited'] });
  });
});
