/**
 * The part of JSON Schema (2020-12) that zod's `toJSONSchema` emits, and a small validator for
 * it. The console validates before sending with the server's own request schemas (schema.gen.ts)
 * and, when the server exposes them, task parameter schemas; the server still has the last word.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface JsonSchema {
  type?: string | readonly string[];
  properties?: { readonly [key: string]: JsonSchema };
  required?: readonly string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema | boolean;
  prefixItems?: readonly JsonSchema[];
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  format?: string;
  default?: unknown;
  description?: string;
  title?: string;
}

export interface SchemaProblem {
  /** Dotted path to the value (`""` for the root). */
  path: string;
  message: string;
  /** `type` when the value has the wrong JSON type. */
  code?: 'type';
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** Every problem of `value` against `schema`; an empty list means valid. */
export function validate(schema: JsonSchema | boolean | undefined, value: unknown, path = ''): SchemaProblem[] {
  if (schema === undefined || schema === true) return [];
  if (schema === false) return [{ path, message: 'is not allowed' }];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const results = alternatives.map((s) => validate(s, value, path));
    if (results.some((r) => r.length === 0)) return [];
    // Report the alternative whose type fits (e.g. the number branch of number|null).
    const fitting = results.find((r) => r.every((p) => p.code !== 'type' || p.path !== path));
    return fitting ?? results[0] ?? [];
  }
  if (schema.type !== undefined) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    if (!types.some((t) => matchesType(value, t))) {
      const want = types.map((t) => (t === 'integer' ? 'whole number' : t)).join(' or ');
      return [{ path, message: `must be a${/^[aeiou]/.test(want) ? 'n' : ''} ${want}`, code: 'type' }];
    }
  }
  if (schema.const !== undefined && value !== schema.const)
    return [{ path, message: `must be ${JSON.stringify(schema.const)}` }];
  if (schema.enum && !schema.enum.includes(value))
    return [{ path, message: `must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}` }];
  return [...scalarProblems(schema, value, path), ...containerProblems(schema, value, path)];
}

function scalarProblems(s: JsonSchema, value: unknown, path: string): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) out.push({ path, message: `must be at least ${s.minimum}` });
    if (s.maximum !== undefined && value > s.maximum) out.push({ path, message: `must be at most ${s.maximum}` });
    if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum)
      out.push({ path, message: `must be greater than ${s.exclusiveMinimum}` });
    if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum)
      out.push({ path, message: `must be less than ${s.exclusiveMaximum}` });
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength)
      out.push({ path, message: s.minLength === 1 ? 'is required' : `must have at least ${s.minLength} characters` });
    if (s.maxLength !== undefined && value.length > s.maxLength)
      out.push({ path, message: `must have at most ${s.maxLength} characters` });
    if (s.pattern !== undefined && !new RegExp(s.pattern, 'u').test(value))
      out.push({ path, message: s.description ? `is not valid (${s.description})` : `must match ${s.pattern}` });
  }
  return out;
}

function containerProblems(s: JsonSchema, value: unknown, path: string): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      out.push({ path, message: `needs at least ${s.minItems} items` });
    if (s.maxItems !== undefined && value.length > s.maxItems)
      out.push({ path, message: `takes at most ${s.maxItems} items` });
    value.forEach((item, i) => {
      const itemSchema = s.prefixItems ? (s.prefixItems[i] ?? s.items) : s.items;
      out.push(...validate(itemSchema, item, join(path, i)));
    });
  } else if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of s.required ?? [])
      if (!(key in obj) || obj[key] === undefined) out.push({ path: join(path, key), message: 'is required' });
    for (const [key, v] of Object.entries(obj)) {
      if (v === undefined) continue;
      const propSchema = s.properties?.[key];
      if (propSchema) out.push(...validate(propSchema, v, join(path, key)));
      else if (s.additionalProperties === false) out.push({ path: join(path, key), message: 'is not a known field' });
      else if (typeof s.additionalProperties === 'object')
        out.push(...validate(s.additionalProperties, v, join(path, key)));
    }
  }
  return out;
}

/** The non-null branch of `T | null` schemas (`anyOf: [T, {type: null}]`), else the schema itself. */
export function nonNullBranch(schema: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const rest = alternatives.filter((s) => s.type !== 'null');
    if (rest.length === 1 && rest[0] && rest.length < alternatives.length)
      return { schema: { ...rest[0], description: schema.description ?? rest[0].description }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes('null')) {
    const types = schema.type.filter((t) => t !== 'null');
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}
