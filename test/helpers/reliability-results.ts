/**
 * Figures of the reliability suite: each test file writes one JSON document to RESULTS_DIR and
 * re-renders docs/reliability.md from all of them (scripts/reliability-report.ts). Nothing in the
 * report is typed by hand.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { writeReport, type ReliabilityResult } from '../../scripts/reliability-report.js';
import { MODE, REPORT_PATH, RESULTS_DIR } from './reliability-env.js';

export type { ReliabilityResult };
export type Figure = number | string | boolean | null;

export interface Distribution {
  n: number;
  p50: number | null;
  p90: number | null;
  max: number | null;
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export function distribution(values: number[]): Distribution {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    max: values.length ? Math.max(...values) : null,
  };
}

/**
 * Collects one test file's figures. Wrap every test body with `run()`: the file counts as passed
 * when every wrapped test passed; tests flagged `bug` reproduce an engine bug (they fail until the
 * engine is fixed) and are reported on their own. `save()` (in afterAll) writes the JSON either
 * way, so a failed run shows up as failed in the report instead of leaving stale figures.
 */
export class ResultRecorder {
  private readonly startedAt = Date.now();
  private readonly figures: Record<string, Figure> = {};
  private readonly tables: ReliabilityResult['tables'] = [];
  private readonly checks: string[] = [];
  private readonly bugs: NonNullable<ReliabilityResult['bugs']> = [];
  private planned = 0;
  private passed = 0;
  private error: string | null = null;

  constructor(
    private readonly id: string,
    private readonly title: string,
    private readonly invariant: string,
  ) {}

  set(name: string, value: Figure): void {
    this.figures[name] = value;
  }

  /** Records a distribution as `<name> p50/p90/max` figures (values in ms unless named otherwise). */
  setDistribution(name: string, values: number[], unit = 'ms'): Distribution {
    const d = distribution(values);
    this.figures[`${name}: samples`] = d.n;
    this.figures[`${name}: p50 (${unit})`] = d.p50;
    this.figures[`${name}: p90 (${unit})`] = d.p90;
    this.figures[`${name}: max (${unit})`] = d.max;
    return d;
  }

  table(title: string, columns: string[], rows: Figure[][]): void {
    this.tables.push({ title, columns, rows });
  }

  /** A sentence describing an assertion that held (rendered as a checklist). */
  check(text: string): void {
    this.checks.push(text);
  }

  /**
   * Wraps a test body. With `bug`, the test reproduces an engine bug: its failure is recorded as
   * "reproduced" (and does not mark the scenario failed), its success as "fixed".
   */
  run(body: () => Promise<void>, opts: { bug?: { title: string; fix: string } } = {}): () => Promise<void> {
    if (!opts.bug) this.planned++;
    return async () => {
      try {
        await body();
      } catch (err) {
        const message = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 300) : String(err).slice(0, 300);
        if (opts.bug)
          this.bugs.push({ title: opts.bug.title, fix: opts.bug.fix, status: 'reproduced', evidence: message });
        else this.error ??= message;
        throw err;
      }
      if (opts.bug) this.bugs.push({ title: opts.bug.title, fix: opts.bug.fix, status: 'fixed', evidence: null });
      else this.passed++;
    };
  }

  save(): void {
    const ok = this.error === null && this.passed === this.planned && this.planned > 0;
    const result: ReliabilityResult = {
      id: this.id,
      title: this.title,
      invariant: this.invariant,
      mode: MODE,
      ok,
      error: ok ? null : (this.error ?? 'the run stopped before its last assertion'),
      startedAt: new Date(this.startedAt).toISOString(),
      durationMs: Date.now() - this.startedAt,
      environment: { node: process.version, cpus: cpus().length, platform: `${process.platform}-${process.arch}` },
      figures: this.figures,
      tables: this.tables,
      checks: this.checks,
      bugs: this.bugs,
    };
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${this.id}.json`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(result, null, 2)}\n`);
    renameSync(tmp, file);
    writeReport({ resultsDir: RESULTS_DIR, out: REPORT_PATH });
  }
}
