/**
 * jobbers_openapi [path]: writes the Manager's OpenAPI document (default `openapi.json`),
 * pretty-printed, built in-process from the route schemas. Needs no Redis, SQL or telemetry.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildOpenApiDocument } from '../http/openapi.js';
import { runCli } from './run-cli.js';

/** The exact file content: 2-space indent and a final newline (what the checked-in file holds). */
export function formatOpenApi(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

runCli({
  name: 'jobbers_openapi',
  usage: `
Usage: jobbers_openapi [path]

Writes the OpenAPI document of the Manager's HTTP API to <path> (default openapi.json).
Needs no Redis, SQL database or telemetry.`,
  async main(argv) {
    const path = argv.find((a) => !a.startsWith('-')) ?? 'openapi.json';
    await writeFile(resolve(path), formatOpenApi(await buildOpenApiDocument()));
    process.stdout.write(`OpenAPI spec written to ${path}\n`);
  },
});
