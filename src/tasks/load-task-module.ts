/**
 * Loads the `<task_module>` argument of jobbers_manager / jobbers_worker: a file path (.js, .mjs,
 * .ts — TypeScript through tsx, which the CLIs preload) or a package specifier. Every exported
 * task definition is registered: named exports, a default export, and arrays or plain objects of
 * definitions one level deep.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERRORS } from '../errors.js';
import { isTaskDefinition, type TaskDefinition } from './define-task.js';
import { TaskRegistry } from './registry.js';

function looksLikePath(spec: string): boolean {
  return isAbsolute(spec) || spec.startsWith('.') || /\.(c|m)?(j|t)s$/.test(spec);
}

function collect(value: unknown, out: TaskDefinition[], depth: number): void {
  if (isTaskDefinition(value)) out.push(value);
  else if (depth > 0 && Array.isArray(value)) value.forEach((v) => collect(v, out, depth - 1));
  else if (depth > 0 && value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    Object.values(value).forEach((v) => collect(v, out, depth - 1));
  }
}

export async function loadTaskModule(spec: string, cwd = process.cwd()): Promise<TaskRegistry> {
  if (!spec)
    throw ERRORS.taskModuleLoad.make(
      'A task module is required: pass a file path (./tasks.js, ./tasks.ts) or a package name',
    );
  let target = spec;
  if (looksLikePath(spec)) {
    const full = resolve(cwd, spec);
    if (!existsSync(full))
      throw ERRORS.taskModuleLoad.make(`Task module not found: ${full} (from "${spec}"); check the path`);
    target = pathToFileURL(full).href;
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (err) {
    throw ERRORS.taskModuleLoad.make(`Could not load task module "${spec}": ${(err as Error).message}`, err);
  }
  const defs: TaskDefinition[] = [];
  for (const value of Object.values(mod)) collect(value, defs, 2);
  if (defs.length === 0) {
    throw ERRORS.taskModuleLoad.make(
      `Task module "${spec}" exports no task definitions; export the values returned by defineTask()`,
    );
  }
  return new TaskRegistry(new Set(defs));
}
