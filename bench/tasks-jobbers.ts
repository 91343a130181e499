/**
 * The bench's jobbers task: a no-op handler that marks its task index in the worker's Recorder
 * (the same work BullMQ's bench handler does). Without a `params` schema, as BullMQ has none, and
 * `async`, like the BullMQ processor and like real handlers.
 */
import { defineTask } from '../src/tasks/define-task.js';
import type { Recorder } from './common.js';

let recorder: Recorder | null = null;

/** The worker child installs its recorder before it starts consuming. */
export function useRecorder(rec: Recorder): void {
  recorder = rec;
}

export const benchNoop = defineTask<{ i: number; text: string }>({ name: 'bench_noop', version: 1 }, async (params) => {
  recorder?.mark(params.i);
});
