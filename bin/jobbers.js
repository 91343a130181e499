#!/usr/bin/env node
// Umbrella command: `jobbers <command> [args]` runs `jobbers_<command>`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS = {
  manager: 'HTTP API and admin UI: jobbers manager <task_module>',
  worker: 'run tasks: jobbers worker <task_module>',
  scheduler: 'dispatch scheduled tasks and delayed retries',
  cleaner: 'one maintenance pass (see jobbers cleaner --help)',
  migrate: 'create or upgrade the SQL configuration schema',
  openapi: 'write the OpenAPI document: jobbers openapi [path]',
};
const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || !(command in COMMANDS)) {
  const lines = Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(10)} ${d}`);
  process.stdout.write(`Usage: jobbers <command> [args]\n\nCommands:\n${lines.join('\n')}\n`);
  process.exit(command && command !== '--help' && command !== '-h' ? 1 : 0);
}
const bin = join(dirname(fileURLToPath(import.meta.url)), `jobbers_${command}.js`);
const res = spawnSync(process.execPath, [bin, ...rest], { stdio: 'inherit' });
process.exit(res.status ?? 1);
