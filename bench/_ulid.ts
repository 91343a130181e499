import { monotonicFactory } from 'ulid';
import { randomFillSync } from 'node:crypto';
const pool = new Uint8Array(4096); let pos = pool.length;
const pooled = () => { if (pos >= pool.length) { randomFillSync(pool); pos = 0; } return (pool[pos++] as number) / 256; };
const a = monotonicFactory(); const b = monotonicFactory(pooled);
function bench(name: string, f: () => string, n = 50000, spread = true) {
  const t0 = performance.now();
  let x = '';
  for (let i = 0; i < n; i++) x = f(spread ? (Date.now() + i) as any : undefined as any);
  const dt = performance.now() - t0;
  console.log(name, ((dt * 1000) / n).toFixed(2), 'µs/id', x);
}
for (let k = 0; k < 2; k++) { bench('ulid default (new ms each)', a as any); bench('ulid pooled prng (new ms each)', b as any); }
