/** Every environment variable the code reads is documented in docs/operations.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('docs/operations.md environment table', () => {
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const varsIn = (src: string) =>
    new Set(
      [...src.matchAll(/env(?:\.|\[')([A-Z][A-Z0-9_]+)|(?:int|num|name)\(env, '([A-Z][A-Z0-9_]+)'/g)].map(
        (m) => m[1] ?? m[2],
      ),
    );

  it.each(['src/runtime/settings.ts', 'src/telemetry/init.ts', 'src/telemetry/logger.ts'])(
    'documents every variable read by %s',
    (file) => {
      const vars = [...varsIn(read(file))];
      expect(vars.length).toBeGreaterThan(0);
      const missing = vars.filter((v) => !doc.includes(`\`${v}\``));
      expect(missing).toEqual([]);
    },
  );
});
