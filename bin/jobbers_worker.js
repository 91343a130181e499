#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` produces dist/). tsx is registered first so that the
// <task_module> argument may be a TypeScript file (e.g. examples/tasks.ts).
import { register } from 'tsx/esm/api';

register();
await import('../dist/cli/worker.js');
