/**
 * npm run bench — jobbers vs BullMQ 6.7.0 side by side on one private Redis.
 *
 *   npm run bench -- [--rounds N] [--only scenario,...] [--quick] [--cpu-prof DIR]
 *
 * Starts its own redis-server on a free port (--save "" --appendonly no, default hz), then for
 * each scenario runs jobbers and BullMQ alternately (A/B, then B/A, ...; N rounds, default 3), each run in a
 * fresh driver process on a freshly FLUSHALLed Redis. Prints progress as it goes, then a table of
 * medians with the jobbers/BullMQ ratio and the target, and writes bench/results/latest.json and
 * bench/results/latest.svg. `node --import tsx bench/render-report.ts` puts the table into
 * docs/performance.md.
 */
import { fork, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../src/client.js';
import {
  JOBBERS_PREFIX,
  JOBBERS_QUEUE,
  SCENARIOS,
  scenario,
  sleep,
  type RunResult,
  type SystemName,
  entryOf,
} from './common.js';
import type { DriverConfig, FromDriver } from './driver.js';
import { fmt, fmtRatio, summarize, svgChart, textTable, variantTable, type Report } from './report.js';
import { startRedis } from './redis-server.js';
import { adminRedis, info } from './systems.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

interface Options {
  rounds: number;
  only: string[] | null;
  quick: boolean;
  cpuProfDir: string | null;
  outDir: string;
  systems: SystemName[];
  /** Other checkouts (e.g. a /tmp copy with an engine change) run as extra jobbers systems. */
  compare: string[];
  snapshot: boolean;
}

interface SystemEntry {
  label: string;
  system: SystemName;
  /** Tree whose bench/driver.ts (and so src/) runs. */
  root: string;
}

const USAGE = `Usage: npm run bench -- [options]

  --rounds N          rounds per scenario and system, alternating jobbers/BullMQ (default 3)
  --only a,b,...      run only these scenarios (${SCENARIOS.map((s) => s.name).join(', ')})
  --quick             smaller task counts (development, smoke check)
  --cpu-prof DIR      profile the worker processes (V8 CPU profiler from go to stop, start-up
                      excluded), and the submitting process over the timed submissions of the
                      submit-* scenarios, into DIR/<scenario>-<system>-r<round>/<pid>.cpuprofile
  --out DIR           where latest.json / latest.svg go (default bench/results)
  --systems a,b       jobbers and/or bullmq (default both)
  --no-snapshot       run the working tree itself through tsx (default: a copy taken at start and
                      compiled with tsc, so the bench measures compiled JavaScript, as the CLIs run
                      it, and edits made while it runs cannot mix two versions into one report)
  --compare DIR       also run jobbers from DIR (a copy of this repo with an engine change, its
                      node_modules linked) as system jobbers@<dir name>, alternating with the
                      others in the same run; repeatable
  -h, --help          this text`;

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    rounds: 3,
    only: null,
    quick: false,
    cpuProfDir: null,
    outDir: join(HERE, 'results'),
    systems: ['jobbers', 'bullmq'],
    compare: [],
    snapshot: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--rounds') {
      opts.rounds = Number(value());
      if (!Number.isInteger(opts.rounds) || opts.rounds < 1) throw new Error('--rounds must be an integer ≥ 1');
    } else if (a === '--only') {
      opts.only = value()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      opts.only.forEach(scenario); // throws on an unknown name
    } else if (a === '--quick') opts.quick = true;
    else if (a === '--cpu-prof') opts.cpuProfDir = value();
    else if (a === '--out') opts.outDir = value();
    else if (a === '--systems') {
      const list = value()
        .split(',')
        .map((x) => x.trim());
      for (const x of list) if (x !== 'jobbers' && x !== 'bullmq') throw new Error(`--systems: unknown system ${x}`);
      opts.systems = list as SystemName[];
    } else if (a === '--compare') opts.compare.push(resolve(value()));
    else if (a === '--no-snapshot') opts.snapshot = false;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`Unknown argument ${a}\n${USAGE}`);
  }
  return opts;
}

const stamp = () => new Date().toISOString().slice(11, 19);
const say = (line: string) => process.stdout.write(`[${stamp()}] ${line}\n`);

// ------------------------------------------------------------------ code under test

/**
 * Copies what the drivers load (src/, bench/, package.json, tsconfig.json) from `root` to
 * dest/ts and compiles it with tsc into dest/js, as `npm run build` compiles the CLIs into dist/:
 * the bench measures the JavaScript users run (BullMQ ships compiled JavaScript too), not tsx's
 * on-the-fly transform, which adds a helper call to every function expression it evaluates.
 * Returns dest/js, the root the drivers run from.
 */
function buildTree(root: string, dest: string): string {
  const ts = join(dest, 'ts');
  const js = join(dest, 'js');
  mkdirSync(ts, { recursive: true });
  cpSync(join(root, 'src'), join(ts, 'src'), { recursive: true });
  cpSync(join(root, 'bench'), join(ts, 'bench'), {
    recursive: true,
    filter: (p) => !p.includes(`${join('bench', 'results')}`),
  });
  for (const f of ['package.json', 'tsconfig.json']) cpSync(join(root, f), join(ts, f));
  symlinkSync(join(ROOT, 'node_modules'), join(ts, 'node_modules'));
  writeFileSync(
    join(ts, 'tsconfig.bench.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: '.', outDir: js, declaration: false, sourceMap: false },
      include: ['src', 'bench'],
    }),
  );
  try {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ts, 'tsconfig.bench.json')],
      {
        cwd: ts,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (err) {
    const out = (err as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`Compiling ${root} for the bench failed (fix the type errors first):\n${out}`);
  }
  // tsc copies no assets: the Lua scripts are read at runtime next to scripts.js.
  cpSync(join(ts, 'src/store/redis/lua'), join(js, 'src/store/redis/lua'), { recursive: true });
  cpSync(join(ts, 'package.json'), join(js, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(js, 'node_modules'));
  return js;
}

/** sha1 over src/ (paths and contents): which engine version a report measured. */
function srcHash(root: string): string {
  const h = createHash('sha1');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(relative(root, p)).update('\0').update(readFileSync(p)).update('\0');
    }
  };
  walk(join(root, 'src'));
  return h.digest('hex').slice(0, 12);
}

function gitInfo(root: string): { commit: string | null; srcDirty: boolean | null } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return { commit, srcDirty: status.trim().length > 0 };
  } catch {
    return { commit: null, srcDirty: null };
  }
}

// ------------------------------------------------------------------ runs

function runDriver(root: string, c: DriverConfig): Promise<RunResult> {
  return new Promise((resolve) => {
    let result: RunResult | null = null;
    const entry = entryOf(root, 'bench/driver.ts');
    const child = fork(entry.file, [], {
      cwd: root,
      execArgv: entry.execArgv,
      env: { ...process.env, BENCH_DRIVER: JSON.stringify(c), OTEL_SDK_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (msg: FromDriver) => {
      if (msg.type === 'log') say(msg.line);
      else if (msg.type === 'result') result = msg.result;
    });
    child.on('exit', (code) => {
      resolve(
        result ?? {
          scenario: c.scenario,
          system: c.label,
          round: c.round,
          ok: false,
          error: `driver exited with code ${code} without a result`,
          metrics: {},
          extra: {},
          wallMs: 0,
        },
      );
    });
  });
}

function describeResult(r: RunResult): string {
  if (!r.ok) return `FAILED: ${(r.error ?? '').split('\n')[0]}`;
  const spec = scenario(r.scenario);
  const parts = spec.metrics.map((m) => `${fmt(r.metrics[m.key], m.digits)} ${m.label}`);
  const v = r.verification ? ` · verified ${r.verification.ranOnce.toLocaleString('en-US')} ran once` : '';
  return `${parts.join(', ')}${v} · ${(r.wallMs / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const names = opts.only ?? SCENARIOS.map((s) => s.name);
  const dir = mkdtempSync(join(tmpdir(), 'jobbers-bench-'));
  const started = Date.now();
  if (opts.snapshot) say('compiling the code under test (tsc) ...');
  const tree = opts.snapshot ? buildTree(ROOT, join(dir, 'tree')) : ROOT;
  const compareRoots = opts.compare.map((root, i) =>
    opts.snapshot ? { root, built: buildTree(root, join(dir, `compare-${i}`)) } : { root, built: root },
  );
  const { url, proc: redis } = await startRedis(dir);
  const cleanup = async () => {
    if (redis.exitCode === null && redis.signalCode === null) {
      const exited = new Promise<void>((r) => redis.once('exit', () => r()));
      redis.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  process.on('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  const admin = adminRedis(url);
  try {
    const server = await info(admin, 'server');
    const hz = ((await admin.config('GET', 'hz')) as string[])[1];
    say(`redis-server ${server.redis_version} on ${url} (hz ${hz}, no persistence), scratch dir ${dir}`);

    // jobbers' queue config lives in SQL: the `default` queue gets a limit that never binds, so
    // the limit checks still run on every claim.
    const sqlPath = `sqlite:///${join(dir, 'config.db')}`;
    const client = await createClient({ redisUrl: url, sqlPath, prefix: JOBBERS_PREFIX });
    await client.runtime.config.saveQueue({
      name: JOBBERS_QUEUE,
      maxConcurrent: 100_000,
      rateNumerator: 1_000_000,
      rateDenominator: 1,
      ratePeriod: 'second',
    });
    await client.runtime.notifyConfigChanged();
    await client.close();

    const machine: Record<string, unknown> = {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      node: process.version,
      redisVersion: server.redis_version,
      redisHz: Number(hz),
      bullmq: (JSON.parse(readFileSync(join(ROOT, 'node_modules/bullmq/package.json'), 'utf8')) as { version: string })
        .version,
      ioredis: (
        JSON.parse(readFileSync(join(ROOT, 'node_modules/ioredis/package.json'), 'utf8')) as { version: string }
      ).version,
      git: gitInfo(ROOT),
      srcSha1: srcHash(opts.snapshot ? join(dir, 'tree', 'ts') : ROOT),
      snapshot: opts.snapshot,
      loadavgStart: loadavg(),
    };
    if (opts.cpuProfDir) mkdirSync(opts.cpuProfDir, { recursive: true });
    const systems: SystemEntry[] = [
      ...opts.systems.map((system) => ({ label: system, system, root: tree })),
      ...compareRoots.map((c) => ({ label: `jobbers@${basename(c.root)}`, system: 'jobbers' as const, root: c.built })),
    ];
    const g = machine.git as { commit: string | null; srcDirty: boolean | null };
    say(
      `measuring src/ ${machine.srcSha1 as string} (git ${g.commit ?? '?'}${g.srcDirty ? ' + uncommitted changes' : ''})${opts.snapshot ? `, snapshot in ${tree}` : ''}`,
    );
    say(
      `${names.length} scenario(s) × ${opts.rounds} round(s) × ${systems.map((s) => s.label).join('/')}${opts.quick ? ' (--quick)' : ''}`,
    );

    const runs: RunResult[] = [];
    for (const name of names) {
      for (let round = 1; round <= opts.rounds; round++) {
        // A/B in odd rounds, B/A in even ones: no system always runs first after a FLUSHALL.
        const order = round % 2 === 1 ? systems : [...systems].reverse();
        for (const { label, system, root } of order) {
          await admin.flushall('SYNC');
          const r = await runDriver(root, {
            scenario: name,
            system,
            label,
            round,
            quick: opts.quick,
            redisUrl: url,
            sqlPath,
            ...(opts.cpuProfDir
              ? { cpuProfDir: resolve(opts.cpuProfDir, `${name}-${label.replace(/[^\w.-]/g, '_')}-r${round}`) }
              : {}),
          });
          runs.push(r);
          say(`${name.padEnd(17)} round ${round}/${opts.rounds}  ${label.padEnd(7)}  ${describeResult(r)}`);
          if (!r.ok && r.error) process.stderr.write(`${r.error}\n`);
        }
      }
      const [s] = summarize(runs, [name]);
      for (const m of s?.metrics ?? []) {
        const others = systems
          .filter((e) => e.label.startsWith('jobbers@'))
          .map((e) => `, ${e.label} ${fmt(m.median[e.label], m.digits)}`)
          .join('');
        say(
          `${name}: median ${m.label} jobbers ${fmt(m.median.jobbers, m.digits)} vs BullMQ ${fmt(m.median.bullmq, m.digits)} → ${fmtRatio(m.ratio)}${m.met === null ? '' : m.met ? ' (target met)' : ' (target NOT met)'}${others}`,
        );
      }
    }
    machine.loadavgEnd = loadavg();
    machine.totalSeconds = Math.round((Date.now() - started) / 1000);

    const report: Report = {
      generatedAt: new Date().toISOString(),
      options: { rounds: opts.rounds, quick: opts.quick, only: opts.only, systems: systems.map((e) => e.label) },
      machine,
      scenarios: summarize(runs, names),
      runs,
    };
    mkdirSync(opts.outDir, { recursive: true });
    const jsonPath = join(opts.outDir, 'latest.json');
    const svgPath = join(opts.outDir, 'latest.svg');
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(svgPath, svgChart(report));
    process.stdout.write(`\n${textTable(report.scenarios)}\n\n`);
    const vt = variantTable(report.scenarios);
    if (vt) process.stdout.write(`${vt}\n\n`);
    say(
      `wrote ${relative(process.cwd(), jsonPath)} and ${relative(process.cwd(), svgPath)} (${machine.totalSeconds} s in all)`,
    );
    const failed = runs.filter((r) => !r.ok).length;
    if (failed) say(`${failed} run(s) FAILED; their numbers are left out`);
    return failed ? 1 : 0;
  } finally {
    admin.disconnect();
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(1);
  },
);
