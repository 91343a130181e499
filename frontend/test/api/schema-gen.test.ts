import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate, OPENAPI_PATH, OUTPUT_PATH } from '../../scripts/gen-api-types.mjs';

describe('generated API types', () => {
  it('match the checked-in openapi.json (run `npm run gen:api -w frontend` when this fails)', async () => {
    const doc: unknown = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    expect(await generate(doc)).toBe(readFileSync(OUTPUT_PATH, 'utf8'));
  });

  it('turn schemas into TypeScript: nullable unions, tuples, enum-keyed records, optional fields', async () => {
    const out = await generate({
      components: {
        schemas: {
          T: {
            type: 'object',
            properties: {
              a: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              b: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] },
              c: { type: 'object', propertyNames: { enum: ['x', 'y'] }, additionalProperties: { type: 'number' } },
            },
            required: ['a', 'b'],
          },
        },
      },
      paths: {},
    });
    expect(out).toContain('a: string | null;');
    expect(out).toContain('b: [string, number];');
    expect(out).toContain("c?: Record<'x' | 'y', number>;");
  });
});
