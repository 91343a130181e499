/** docs/errors.md and the error catalogue say the same thing. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/errors.js';

describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\|\s*`(JOBBERS_ERR_[A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m): [string, number] => [
    m[1] as string,
    Number(m[2]),
  ]);

  it('lists every code with its HTTP status', () => {
    const fromCode = Object.values(ERRORS).map((e): [string, number] => [e.code, e.httpStatus]);
    expect(new Map(rows)).toEqual(new Map(fromCode));
  });

  it('codes are unique', () => {
    const codes = Object.values(ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
