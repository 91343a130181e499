import { describe, expect, it } from 'vitest';
import { validate } from '../../src/api/json-schema';
import { requestSchemas } from '../../src/api/schema.gen';

describe('validate', () => {
  const schema = {
    type: 'object',
    properties: {
      seconds: { type: 'number', exclusiveMinimum: 0 },
      count: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }] },
      mode: { type: 'string', enum: ['fast', 'slow'] },
    },
    required: ['seconds'],
    additionalProperties: false,
  } as const;

  it('accepts a valid value', () => {
    expect(validate(schema, { seconds: 1.5, count: null, mode: 'fast' })).toEqual([]);
  });

  it('reports each problem with its path', () => {
    expect(validate(schema, { count: 0, mode: 'medium', extra: 1 })).toEqual([
      { path: 'seconds', message: 'is required' },
      { path: 'count', message: 'must be at least 1' },
      { path: 'mode', message: 'must be one of "fast", "slow"' },
      { path: 'extra', message: 'is not a known field' },
    ]);
    expect(validate(schema, { seconds: 'ten' })).toEqual([
      { path: 'seconds', message: 'must be a number', code: 'type' },
    ]);
  });

  it('applies the server request schemas (queue name pattern from openapi.json)', () => {
    expect(validate(requestSchemas.createQueue, { name: 'emails' })).toEqual([]);
    const [problem] = validate(requestSchemas.createQueue, { name: '.hidden' });
    expect(problem?.path).toBe('name');
    expect(problem?.message).toMatch(/^is not valid \(Queue name/);
  });
});
