/**
 * Summarises V8 .cpuprofile files (node --cpu-prof, or `npm run bench -- --cpu-prof DIR`):
 * self time by function and by file/package, and total (inclusive) time of selected functions.
 *
 *   node --import tsx bench/profile-summary.ts <file-or-dir>... [--top N] [--inclusive name,name]
 *                                              [--tree name [--depth D]]
 *
 * --tree prints the call tree below every frame named `name` (merged), with inclusive times.
 *
 * Several files are added together (e.g. the four workers of process-4proc).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function files(paths: string[]): string[] {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p)
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => join(p, f))
      : [p],
  );
}

function where(url: string): string {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string);
  }
  if (url.startsWith('node:')) return url;
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const bench = url.indexOf('/bench/');
  if (bench >= 0) return url.slice(bench + 1);
  return url.replace(/^file:\/\//, '');
}

function main(): void {
  const args = process.argv.slice(2);
  let top = 30;
  let inclusive: string[] = [];
  let treeRoot: string | null = null;
  let depth = 4;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top') top = Number(args[++i]);
    else if (args[i] === '--inclusive') inclusive = (args[++i] ?? '').split(',');
    else if (args[i] === '--tree') treeRoot = args[++i] ?? null;
    else if (args[i] === '--depth') depth = Number(args[++i]);
    else paths.push(args[i] as string);
  }
  // Merged call tree below frames named treeRoot: path "a > b > c" → inclusive µs.
  const tree = new Map<string, number>();
  const list = files(paths);
  if (list.length === 0) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile|dir>... [--top N] [--inclusive fn,fn]\n');
    process.exit(2);
  }
  const selfByFn = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const incl = new Map<string, number>();
  let total = 0;
  for (const f of list) {
    const prof = JSON.parse(readFileSync(f, 'utf8')) as Profile;
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const selfUs = new Map<number, number>();
    prof.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
    for (const [id, us] of selfUs) {
      const n = byId.get(id) as ProfileNode;
      const fn = n.callFrame.functionName || '(anonymous)';
      if (fn === '(idle)') continue;
      total += us;
      const file = where(n.callFrame.url);
      const key = `${fn}  ${file}:${n.callFrame.lineNumber + 1}`;
      selfByFn.set(key, (selfByFn.get(key) ?? 0) + us);
      selfByFile.set(file, (selfByFile.get(file) ?? 0) + us);
      if (treeRoot) {
        const chain: string[] = [];
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const cf = byId.get(cur)?.callFrame;
          chain.push(`${cf?.functionName || '(anonymous)'} ${where(cf?.url ?? '')}:${(cf?.lineNumber ?? 0) + 1}`);
        }
        chain.reverse();
        const at = chain.findIndex((c) => c.startsWith(`${treeRoot} `));
        if (at >= 0) {
          for (let d = 1; d <= depth && at + d <= chain.length; d++) {
            const key = chain.slice(at, at + d).join(' > ');
            tree.set(key, (tree.get(key) ?? 0) + us);
          }
        }
      }
      if (inclusive.length) {
        const seen = new Set<string>();
        for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
          const name = byId.get(cur)?.callFrame.functionName ?? '';
          if (inclusive.includes(name) && !seen.has(name)) {
            seen.add(name);
            incl.set(name, (incl.get(name) ?? 0) + us);
          }
        }
      }
    }
  }
  const pct = (us: number) =>
    `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms`;
  const print = (title: string, m: Map<string, number>, n: number) => {
    process.stdout.write(`\n${title}\n`);
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .forEach(([k, us]) => process.stdout.write(`  ${pct(us)}  ${k}\n`));
  };
  process.stdout.write(`${list.length} profile(s), ${(total / 1000).toFixed(0)} ms of non-idle samples\n`);
  print('self time by file / package', selfByFile, 20);
  print('self time by function', selfByFn, top);
  if (inclusive.length) print('inclusive time', incl, inclusive.length);
  if (treeRoot) {
    process.stdout.write(`\ncall tree below ${treeRoot} (inclusive)\n`);
    const keys = [...tree.keys()].sort();
    for (const k of keys) {
      const parts = k.split(' > ');
      const us = tree.get(k) as number;
      if (us / total < 0.002) continue;
      process.stdout.write(`  ${pct(us)}  ${'  '.repeat(parts.length - 1)}${parts[parts.length - 1]}\n`);
    }
  }
}

main();
