// `npm test`: the whole suite in phases, then one summary line "N passed, N failed".
//   main         unit, contract, integration, http tests: two files at a time
//   reliability  crash/restart/fault suites: one file at a time (they load the machine heavily)
//   frontend     the admin UI's component and browser tests (when frontend/ has tests)
// Extra arguments are passed to every vitest invocation.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';

const extra = process.argv.slice(2);
mkdirSync('.tmp', { recursive: true });
const phases = [
  { name: 'main', cwd: '.', args: ['--exclude', 'test/reliability/**'] },
  { name: 'reliability', cwd: '.', args: ['test/reliability', '--maxWorkers=1'], when: () => existsSync('test/reliability') && readdirSync('test/reliability').some((f) => f.endsWith('.test.ts')) },
  { name: 'frontend', cwd: 'frontend', args: [], when: () => existsSync('frontend/vitest.config.ts') },
];

let passed = 0;
let failed = 0;
for (const phase of phases) {
  if (phase.when && !phase.when()) continue;
  const out = `${process.cwd()}/.tmp/vitest-${phase.name}.json`;
  process.stdout.write(`\n==> ${phase.name} tests\n`);
  const res = spawnSync('npx', ['vitest', 'run', ...phase.args, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra], {
    cwd: phase.cwd,
    stdio: 'inherit',
  });
  let p = 0;
  let f = 0;
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    p = r.numPassedTests;
    f = r.numFailedTests;
  }
  // A phase that failed without a failing test (a file that did not load, a crash) counts once.
  if (res.status !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
