/**
 * jobbers_openapi [path]: writes the Manager's OpenAPI document (default `openapi.json`),
 * pretty-printed, built in-process from the route schemas. Needs no Redis, SQL or telemetry.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildOpenApiDocument, formatOpenApiDocument } from '../http/openapi.js';
import { runCli } from './run-cli.js';

runCli({
  name: 'jobbers_openapi',
  usage: `
Usage: jobbers_openapi [path]

Writes the OpenAPI document of the Manager's HTTP API to <path> (default openapi.json).
Needs no Redis, SQL database or telemetry.`,
  async main(argv) {
    const path = argv.find((a) => !a.startsWith('-')) ?? 'openapi.json';
    await writeFile(resolve(path), formatOpenApiDocument(await buildOpenApiDocument()));
    process.stdout.write(`OpenAPI spec written to ${path}\n`);
  },
});
