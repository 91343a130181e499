/**
 * fast-check arbitraries for HTTP requests derived from an OpenAPI 3.1 document: for every
 * operation, a mix of plausible values (generated from the JSON schemas) and hostile ones (wrong
 * types, missing fields, huge strings, control and unicode characters, Redis key-pattern
 * characters, malformed ULIDs, deep nesting, invalid JSON text).
 */
import fc from 'fast-check';

type Schema = Record<string, any>;

export interface Operation {
  method: string;
  path: string;
  pathParams: Array<{ name: string; schema: Schema }>;
  queryParams: Array<{ name: string; schema: Schema }>;
  body: Schema | null;
}

export interface GeneratedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** For reporting a failure. */
  operation: string;
}

export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as Array<{ in: string; name: string; schema: Schema }>;
      ops.push({
        method: method.toUpperCase(),
        path,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

const KEY_CHARS = [
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  ':',
  '{a}',
  'q:1',
  'a*b',
  '{default}',
  'default:tasks',
  '\\',
  '/',
  '..',
];
const WEIRD = [
  '',
  ' ',
  '\u0000',
  '\n',
  '\r\n',
  '\t',
  '\u202e',
  '\ufeff',
  'é',
  '😀',
  '%00',
  "'; DROP TABLE queues; --",
  '<script>',
  '__proto__',
  'constructor',
];

/** Strings a careless server would choke on. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...KEY_CHARS, ...WEIRD),
  fc
    .tuple(fc.constantFrom('default', 'echo_task', 'q'), fc.constantFrom(...KEY_CHARS, ...WEIRD))
    .map(([a, b]) => a + b),
  // Malformed ULIDs: wrong length, excluded letters, first character above 7.
  fc.stringMatching(/^[0-9A-Z]{20,30}$/),
  fc.constantFrom(
    '81ARZ3NDEKTSV4RRFFQ69G5FAV',
    '01ARZ3NDEKTSV4RRFFQ69G5FAU',
    '01ARZ3NDEKTSV4RRFFQ69G5FA',
    '01arz3ndektsv4rrffq69g5fav0',
  ),
  fc.integer({ min: 1, max: 20_000 }).map((n) => 'x'.repeat(n)),
);

/** Values of any JSON type, including deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, 0, -1, 2 ** 31, 2 ** 53, 1e308, -0),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  fc.integer({ min: 30, max: 200 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
    return v;
  }),
);

function resolve(doc: Schema, schema: Schema): Schema {
  let s = schema;
  while (s && typeof s.$ref === 'string') {
    const name = s.$ref.replace('#/components/schemas/', '');
    s = doc.components.schemas[name];
  }
  return s ?? {};
}

/** A value that satisfies the schema (as far as this small generator understands it). */
export function plausible(doc: Schema, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  if (schema.anyOf) return fc.oneof(...(schema.anyOf as Schema[]).map((s) => plausible(doc, s, depth)));
  switch (schema.type) {
    case 'string':
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern as string));
      if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string({ maxLength: 20 });
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -1000, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(plausible(doc, schema.items ?? {}, depth + 1), { maxLength: 4 });
    case 'object': {
      const props = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      if (props.length === 0)
        return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
      const model = Object.fromEntries(props.map(([k, s]) => [k, plausible(doc, s, depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Mostly wrong: per field, a plausible value, a hostile one, or nothing; plus stray fields. */
export function malformed(doc: Schema, raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.type === 'object' && schema.properties && depth < 3) {
    const props = Object.entries(schema.properties as Record<string, Schema>);
    const model = Object.fromEntries(
      props.map(([k, s]) => [k, fc.oneof(plausible(doc, s), malformed(doc, s, depth + 1))]),
    );
    const stray = fc.dictionary(
      fc.constantFrom('status', 'results', 'errors', 'retry_attempt', 'completed_at', '__proto__', 'x'),
      hostileValue,
      { maxKeys: 3 },
    );
    return fc.oneof(
      {
        weight: 3,
        arbitrary: fc.tuple(fc.record(model, { requiredKeys: [] }), stray).map(([a, b]) => ({ ...b, ...a })),
      },
      { weight: 1, arbitrary: hostileValue },
    );
  }
  if (schema.type === 'array' && depth < 3) {
    return fc.oneof(
      fc.array(fc.oneof(plausible(doc, schema.items ?? {}), malformed(doc, schema.items ?? {}, depth + 1)), {
        maxLength: 6,
      }),
      hostileValue,
    );
  }
  return hostileValue;
}

/**
 * A submission whose parameters nest `depth` levels, for a task type without a parameter schema
 * (so nothing strips the nesting before it would reach the msgpack encoder).
 */
export function deepSubmission(queue: string): fc.Arbitrary<GeneratedRequest> {
  return fc.noBias(fc.integer({ min: 20, max: 20_000 })).map((n) => ({
    method: 'POST',
    url: '/submit-task',
    headers: { 'content-type': 'application/json' },
    payload: `{"name":"always_fail_task","version":1,"queue":"${queue}","parameters":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}`,
    operation: 'POST /submit-task',
  }));
}

/** Body text: JSON of a (mostly malformed) value, or text that is not JSON at all. */
function bodyText(doc: Schema, schema: Schema): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.oneof(plausible(doc, schema), malformed(doc, schema)).map((v) => JSON.stringify(v) ?? 'null'),
    },
    { weight: 1, arbitrary: hostileString },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{',
        '{"name":',
        '[1,2',
        'nul',
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
      ),
    },
    // Deep nesting as text: JSON.stringify could not even build it.
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 1000, max: 50_000 })
        .map((n) => `{"name":"echo_task","parameters":${'['.repeat(n)}${']'.repeat(n)}}`),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1000, max: 50_000 }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    },
  );
}

export function requestFor(doc: Schema, op: Operation): fc.Arbitrary<GeneratedRequest> {
  const pathValue = (s: Schema) =>
    fc.oneof({ weight: 2, arbitrary: plausible(doc, s).map(String) }, { weight: 3, arbitrary: hostileString });
  const pathArb = fc.tuple(...op.pathParams.map((p) => pathValue(p.schema))).map((values) => {
    let path = op.path;
    op.pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, encodeURIComponent(values[i] as string))));
    return path;
  });
  const queryArb = fc
    .tuple(
      ...op.queryParams.map((p) =>
        fc.option(fc.oneof(plausible(doc, p.schema).map(String), hostileString), { nil: undefined }),
      ),
    )
    .map((values) => {
      const qs = new URLSearchParams();
      op.queryParams.forEach((p, i) => {
        const v = values[i];
        if (v !== undefined) qs.append(p.name, v);
      });
      return qs.toString();
    });
  const bodyArb =
    op.body || op.method !== 'GET'
      ? fc.option(bodyText(doc, op.body ?? {}), { nil: undefined, freq: 4 })
      : fc.constant(undefined);
  const typeArb = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    'application/x-www-form-urlencoded',
    '',
  );
  return fc.tuple(pathArb, queryArb, bodyArb, typeArb).map(([path, qs, payload, type]): GeneratedRequest => ({
    method: op.method,
    url: qs ? `${path}?${qs}` : path,
    headers: payload !== undefined && type ? { 'content-type': type } : ({} as Record<string, string>),
    payload,
    operation: `${op.method} ${op.path}`,
  }));
}
