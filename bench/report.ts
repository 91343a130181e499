/**
 * The bench report: summarising runs into medians and ratios, and rendering them as a console
 * table, a Markdown table (docs/performance.md, via render-report.ts) and a hand-written SVG chart.
 */
import {
  describeTarget,
  median,
  ratio,
  SCENARIOS,
  targetMet,
  type MetricSpec,
  type RunResult,
  type Target,
} from './common.js';

export interface MetricSummary {
  key: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower';
  digits: number;
  target: Target | null;
  /** Per system label (jobbers, bullmq, jobbers@<variant>): every round's value. */
  values: Record<string, number[]>;
  median: Record<string, number>;
  /** jobbers / BullMQ of the medians. */
  ratio: number | null;
  met: boolean | null;
}

export interface ScenarioSummary {
  name: string;
  description: string;
  n: number | null;
  metrics: MetricSummary[];
  failures: number;
}

export interface Report {
  generatedAt: string;
  options: { rounds: number; quick: boolean; only: string[] | null; systems?: string[] };
  machine: Record<string, unknown>;
  scenarios: ScenarioSummary[];
  runs: RunResult[];
}

export function summarize(runs: RunResult[], scenarioNames: string[]): ScenarioSummary[] {
  return SCENARIOS.filter((s) => scenarioNames.includes(s.name)).map((s) => {
    const mine = runs.filter((r) => r.scenario === s.name);
    const ok = mine.filter((r) => r.ok);
    const n = (ok[0]?.extra.n as number | undefined) ?? null;
    return {
      name: s.name,
      description: s.description,
      n,
      failures: mine.length - ok.length,
      metrics: s.metrics.map((m: MetricSpec) => {
        const values: Record<string, number[]> = {};
        for (const r of ok) {
          const v = r.metrics[m.key];
          if (v !== undefined) (values[r.system] ??= []).push(v);
        }
        const med: Record<string, number> = {};
        for (const [sys, list] of Object.entries(values)) med[sys] = median(list);
        const r = ratio(med.jobbers, med.bullmq);
        return {
          key: m.key,
          label: m.label,
          unit: m.unit,
          better: m.better,
          digits: m.digits,
          target: m.target ?? null,
          values,
          median: med,
          ratio: r,
          met: m.target ? targetMet(m.target, med.jobbers, r) : null,
        };
      }),
    };
  });
}

/** System labels of --compare variants present in the runs. */
export function variants(scenarios: ScenarioSummary[]): string[] {
  const set = new Set<string>();
  for (const s of scenarios)
    for (const m of s.metrics) for (const k of Object.keys(m.median)) if (k.startsWith('jobbers@')) set.add(k);
  return [...set].sort();
}

/** Variant medians against the current tree's jobbers (variant / jobbers). */
export function variantTable(scenarios: ScenarioSummary[]): string {
  const vs = variants(scenarios);
  if (vs.length === 0) return '';
  const head = ['scenario', 'metric', 'jobbers', ...vs, ...vs.map((v) => `${v}/jobbers`)];
  const body = scenarios.flatMap((s) =>
    s.metrics.map((m) => [
      s.name,
      m.label,
      fmt(m.median.jobbers, m.digits),
      ...vs.map((v) => fmt(m.median[v], m.digits)),
      ...vs.map((v) => fmtRatio(ratio(m.median[v], m.median.jobbers))),
    ]),
  );
  const all = [head, ...body];
  const w = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i < 2 ? c.padEnd(w[i] as number) : c.padStart(w[i] as number))).join('  ');
  return [line(head), w.map((x) => '-'.repeat(x)).join('  '), ...body.map(line)].join('\n');
}

export function fmt(v: number | undefined | null, digits: number): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return '—';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function fmtRatio(r: number | null): string {
  if (r === null) return '—';
  return `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

const verdict = (met: boolean | null) => (met === null ? '' : met ? 'met' : 'NOT met');

export interface Row {
  scenario: string;
  metric: string;
  jobbers: string;
  bullmq: string;
  ratio: string;
  target: string;
  verdict: string;
}

export function rows(scenarios: ScenarioSummary[]): Row[] {
  const out: Row[] = [];
  for (const s of scenarios) {
    for (const m of s.metrics) {
      out.push({
        scenario: `${s.name}${s.n ? ` (${s.n.toLocaleString('en-US')})` : ''}${s.failures ? ` [${s.failures} failed]` : ''}`,
        metric: m.label,
        jobbers: fmt(m.median.jobbers, m.digits),
        bullmq: fmt(m.median.bullmq, m.digits),
        ratio: fmtRatio(m.ratio),
        target: m.target ? describeTarget(m.target) : '',
        verdict: verdict(m.met),
      });
    }
  }
  return out;
}

const HEAD: Row = {
  scenario: 'scenario (tasks)',
  metric: 'metric',
  jobbers: 'jobbers',
  bullmq: 'BullMQ',
  ratio: 'jobbers/BullMQ',
  target: 'target',
  verdict: '',
};
const COLS: Array<keyof Row> = ['scenario', 'metric', 'jobbers', 'bullmq', 'ratio', 'target', 'verdict'];
const RIGHT = new Set<keyof Row>(['jobbers', 'bullmq', 'ratio']);

export function textTable(scenarios: ScenarioSummary[]): string {
  const all = [HEAD, ...rows(scenarios)];
  const width = Object.fromEntries(COLS.map((c) => [c, Math.max(...all.map((r) => r[c].length))])) as Record<
    keyof Row,
    number
  >;
  const line = (r: Row) =>
    COLS.map((c) => (RIGHT.has(c) ? r[c].padStart(width[c]) : r[c].padEnd(width[c])))
      .join('  ')
      .trimEnd();
  return [line(HEAD), COLS.map((c) => '-'.repeat(width[c])).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(scenarios: ScenarioSummary[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const head = `| ${COLS.map((c) => (c === 'verdict' ? 'result' : HEAD[c])).join(' | ')} |`;
  const sep = `| ${COLS.map((c) => (RIGHT.has(c) ? '---:' : '---')).join(' | ')} |`;
  const body = rows(scenarios).map(
    (r) => `| ${COLS.map((c) => esc(c === 'verdict' && r.verdict === 'NOT met' ? '**NOT met**' : r[c])).join(' | ')} |`,
  );
  return [head, sep, ...body].join('\n');
}

// ------------------------------------------------------------------ SVG

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * One row per metric: jobbers and BullMQ medians as two horizontal bars scaled to the larger of
 * the two, the value at the end of each bar, and the ratio with its target on the right (green
 * when met, red when not).
 */
export function svgChart(report: Report): string {
  const metrics = report.scenarios.flatMap((s) => s.metrics.map((m) => ({ s, m })));
  const rowH = 46;
  const top = 64;
  const labelW = 250;
  const barW = 420;
  const ratioX = labelW + barW + 110;
  const width = ratioX + 210;
  const height = top + metrics.length * rowH + 56;
  const colors = { jobbers: '#2f6fdf', bullmq: '#e0892b' } as const;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  const title = `jobbers vs BullMQ 6.7.0 — medians of ${report.options.rounds} round${report.options.rounds === 1 ? '' : 's'}${report.options.quick ? ' (--quick)' : ''}, ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC`;
  out.push(`<text x="12" y="24" font-size="15" font-weight="bold">${xml(title)}</text>`);
  out.push(
    `<rect x="${labelW}" y="36" width="12" height="12" fill="${colors.jobbers}"/><text x="${labelW + 18}" y="46">jobbers</text>`,
  );
  out.push(
    `<rect x="${labelW + 90}" y="36" width="12" height="12" fill="${colors.bullmq}"/><text x="${labelW + 108}" y="46">BullMQ</text>`,
  );
  out.push(`<text x="${ratioX}" y="46" font-weight="bold">jobbers/BullMQ (target)</text>`);
  metrics.forEach(({ s, m }, k) => {
    const y = top + k * rowH;
    if (k % 2 === 0) out.push(`<rect x="0" y="${y - 4}" width="${width}" height="${rowH}" fill="#f4f6fa"/>`);
    out.push(`<text x="12" y="${y + 14}" font-weight="bold">${xml(s.name)}</text>`);
    out.push(`<text x="12" y="${y + 30}" fill="#555">${xml(`${m.label} (${m.better} is better)`)}</text>`);
    const max = Math.max(m.median.jobbers ?? 0, m.median.bullmq ?? 0) || 1;
    (['jobbers', 'bullmq'] as const).forEach((sys, j) => {
      const v = m.median[sys];
      const w = v === undefined ? 0 : Math.max(1, (Math.max(0, v) / max) * barW);
      const by = y + j * 18;
      out.push(`<rect x="${labelW}" y="${by}" width="${w.toFixed(1)}" height="15" fill="${colors[sys]}"/>`);
      out.push(
        `<text x="${(labelW + w + 6).toFixed(1)}" y="${by + 12}">${xml(fmt(v, m.digits))}${m.unit && m.unit !== '/s' ? ` ${xml(m.unit)}` : ''}</text>`,
      );
    });
    const color = m.met === null ? '#333' : m.met ? '#1a8a3a' : '#c62828';
    const tgt = m.target ? ` (${describeTarget(m.target)})` : '';
    out.push(
      `<text x="${ratioX}" y="${y + 14}" fill="${color}" font-weight="bold">${xml(fmtRatio(m.ratio) + tgt)}</text>`,
    );
    if (m.met !== null)
      out.push(`<text x="${ratioX}" y="${y + 30}" fill="${color}">${m.met ? 'target met' : 'target NOT met'}</text>`);
  });
  const load = (x: unknown) => (Array.isArray(x) ? x.map((v: number) => v.toFixed(1)).join('/') : '?');
  const m = report.machine;
  const line1 = `bench/run.ts · jobbers src ${String(m.srcSha1 ?? '?')} · BullMQ ${String(m.bullmq ?? '?')} · Redis ${String(m.redisVersion ?? '?')} (hz ${String(m.redisHz ?? '?')})`;
  const line2 = `Node ${String(m.node ?? '?')} · ${String(m.cpus ?? '?')} CPUs · load average at start → end ${load(m.loadavgStart)} → ${load(m.loadavgEnd)}`;
  out.push(`<text x="12" y="${height - 30}" fill="#777">${xml(line1)}</text>`);
  out.push(`<text x="12" y="${height - 14}" fill="#777">${xml(line2)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
