/** Task definitions by `(name, version)`. */
import { ERRORS } from '../errors.js';
import { isTaskDefinition, type TaskDefinition } from './define-task.js';

export class TaskRegistry {
  private readonly defs = new Map<string, TaskDefinition>();

  constructor(defs: Iterable<TaskDefinition> = []) {
    for (const d of defs) this.add(d);
  }

  add(def: TaskDefinition): void {
    if (!isTaskDefinition(def))
      throw ERRORS.invalidTaskDefinition.make('Only values made by defineTask() can be registered');
    const key = `${def.name}@${def.version}`;
    const existing = this.defs.get(key);
    if (existing && existing.handler !== def.handler) {
      throw ERRORS.duplicateTaskDefinition.make(
        `Task ${def.name} version ${def.version} is already registered to another function; bump the version or rename it`,
      );
    }
    this.defs.set(key, def);
  }

  get(name: string, version: number): TaskDefinition | undefined {
    return this.defs.get(`${name}@${version}`);
  }

  /** Every registered `(name, version)`, in registration order. */
  list(): TaskDefinition[] {
    return [...this.defs.values()];
  }

  get size(): number {
    return this.defs.size;
  }
}
