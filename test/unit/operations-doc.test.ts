/**
 * Keeps docs/operations.md in step with the code: the metrics table must list exactly the metrics
 * of the instrument catalogue, with the same kind, unit and attribute keys, and the variables and
 * flags of the compatibility contract must all be documented.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC_CATALOGUE, type MetricKind } from '../../src/telemetry/instruments.js';

const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

/** Rows of the first Markdown table whose header starts with `| <firstHeader> |`, as trimmed cells. */
function tableRows(firstHeader: string): string[][] {
  const lines = doc.split('\n');
  // Cells may be padded (prettier aligns Markdown tables).
  const header = new RegExp(`^\\|\\s*${firstHeader}\\s*\\|`);
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) throw new Error(`docs/operations.md has no table starting with "| ${firstHeader} |"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

const unquote = (cell: string): string => cell.replace(/`/g, '').trim();
const DOC_KIND: Record<MetricKind, string> = {
  counter: 'counter',
  histogram: 'histogram',
  observableGauge: 'gauge (observable)',
};

describe('docs/operations.md metrics table', () => {
  const rows = tableRows('Metric');
  const documented = new Map(rows.map((r) => [unquote(r[0] ?? ''), r]));
  const specs = Object.values(METRIC_CATALOGUE);

  it('lists every metric of the catalogue', () => {
    const missing = specs.map((s) => s.name).filter((name) => !documented.has(name));
    expect(missing, 'metrics missing from docs/operations.md').toEqual([]);
  });

  it('lists no metric the code does not define', () => {
    const known = new Set<string>(specs.map((s) => s.name));
    expect([...documented.keys()].filter((name) => !known.has(name))).toEqual([]);
    expect(rows).toHaveLength(specs.length); // no duplicates either
  });

  it.each(specs)('documents $name with its kind, unit and attributes', (spec) => {
    const [, kind, unit, attributes, emittedBy] = documented.get(spec.name) ?? [];
    expect(kind).toBe(DOC_KIND[spec.kind]);
    expect(unquote(unit ?? '')).toBe(spec.unit);
    expect(unquote(attributes ?? '').split(/,\s*/)).toEqual([...spec.attributes]);
    expect(emittedBy).toBe(spec.emittedBy);
  });
});

describe('docs/operations.md contract coverage', () => {
  // DESIGN.md §1 plus the variables added by this port.
  const variables = [
    'REDIS_URL',
    'SQL_PATH',
    'TASK_ADAPTER',
    'WORKER_ROLE',
    'WORKER_CONCURRENT_TASKS',
    'WORKER_TTL',
    'SCHEDULER_POLL_INTERVAL',
    'SCHEDULER_BATCH_SIZE',
    'SCHEDULER_ROLE',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT',
    'OTEL_LOGS_EXPORTER',
    'OTEL_METRIC_EXPORT_INTERVAL',
    'OTEL_SDK_DISABLED',
    'LOG_LEVEL',
    'PORT',
    'HOST',
    'JOBBERS_API_TOKEN',
    'JOBBERS_READONLY_TOKEN',
    'JOBBERS_PREFIX',
  ];

  it('documents every environment variable with a default', () => {
    const documented = new Map(tableRows('Variable').map((r) => [unquote(r[0] ?? ''), unquote(r[1] ?? '')]));
    for (const name of variables) {
      expect(documented.has(name), `${name} missing from the variables table`).toBe(true);
      expect(documented.get(name), `${name} has no default`).not.toBe('');
    }
    expect(documented.get('OTEL_METRIC_EXPORT_INTERVAL')).toBe('60000');
    expect(documented.get('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT')).toBe('http://localhost:4317');
    expect(documented.get('JOBBERS_PREFIX')).toBe('jobbers');
  });

  it('documents every process and cleaner flag of the compatibility contract', () => {
    for (const cmd of [
      'jobbers_manager',
      'jobbers_worker',
      'jobbers_scheduler',
      'jobbers_cleaner',
      'jobbers_openapi',
      'jobbers_migrate',
    ]) {
      expect(doc).toContain(`\`${cmd}`);
    }
    const flags = tableRows('Flag').map((r) => unquote(r[0] ?? '').split(' ')[0]);
    expect(flags.sort()).toEqual([
      '--completed-task-age',
      '--dlq-age',
      '--max-queue-age',
      '--min-queue-age',
      '--rate-limit-age',
      '--stale-time',
    ]);
  });
});
