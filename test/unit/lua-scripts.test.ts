/** Each Lua script is loaded with only the _lib.lua paragraphs it needs (scripts.ts withLib). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCRIPT_NAMES, scriptSource } from '../../src/store/redis/scripts.js';

const LIB = readFileSync(new URL('../../src/store/redis/lua/_lib.lua', import.meta.url), 'utf8');
const LIB_FUNCTIONS = [...LIB.matchAll(/^local function (\w+)/gm)].map((m) => m[1] as string);
const LIB_CONSTANTS = [...LIB.matchAll(/^local ([A-Z_][A-Z0-9_, ]*?)\s*=/gm)].flatMap((m) =>
  (m[1] as string).split(',').map((n) => n.trim()),
);
const stripComments = (lua: string) => lua.replace(/--.*$/gm, '');

describe('Lua script assembly', () => {
  it.each(SCRIPT_NAMES)('%s declares every lib helper and constant it uses, before its body', (name) => {
    const source = scriptSource(name);
    const code = stripComments(source);
    const body = readFileSync(new URL(`../../src/store/redis/lua/${name}.lua`, import.meta.url), 'utf8');
    expect(source.endsWith(body)).toBe(true);
    for (const fn of LIB_FUNCTIONS) {
      if (new RegExp(`\\b${fn}\\(`).test(code))
        expect(code, `${name} calls ${fn}`).toMatch(new RegExp(`local function ${fn}\\(`));
    }
    for (const c of LIB_CONSTANTS) {
      if (new RegExp(`\\b${c}\\b`).test(code))
        expect(code, `${name} uses ${c}`).toMatch(new RegExp(`^local [A-Z0-9_, ]*\\b${c}\\b`, 'm'));
    }
  });

  it('leaves out what a script does not use', () => {
    const submit = scriptSource('submit-tasks');
    expect(submit).toContain('local function arm_wake(');
    expect(submit).not.toContain('recover_expired');
    expect(submit).not.toContain('read_header');
    // Transitive needs are followed: claim-tasks calls recover_expired, which calls append_error.
    expect(scriptSource('claim-tasks')).toContain('local function append_error(');
  });
});
