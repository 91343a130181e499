/**
 * A task's parameter schema (a JSON Schema object) as form fields, and the form's text values
 * back to a parameters object. Scalars get typed inputs; objects, arrays and untyped values get
 * a small JSON box. Empty optional fields are left out so the task's defaults apply.
 */
import { nonNullBranch, validate, type JsonSchema, type SchemaProblem } from '../../api/json-schema';

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'json';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  schema: JsonSchema;
  options: readonly unknown[];
}

export function fieldsOf(schema: JsonSchema): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const { schema: s, nullable } = nonNullBranch(raw);
    const type = typeof s.type === 'string' ? s.type : undefined;
    let kind: FieldKind = 'json';
    if (s.enum) kind = 'enum';
    else if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') kind = type;
    return { name, kind, required: required.has(name), nullable, schema: s, options: s.enum ?? [] };
  });
}

/** The schema can be shown as a form: an object whose properties are all listed. */
export function isFormable(schema: JsonSchema | null): schema is JsonSchema {
  return schema !== null && schema.type === 'object' && schema.properties !== undefined;
}

/** Initial texts: each field's default, or empty. */
export function initialTexts(schema: JsonSchema): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const f of fieldsOf(schema)) {
    const d = (schema.properties?.[f.name] ?? {}).default ?? f.schema.default;
    if (f.kind === 'boolean') texts[f.name] = d === true ? 'true' : 'false';
    else if (d === undefined || d === null) texts[f.name] = '';
    else texts[f.name] = f.kind === 'json' ? JSON.stringify(d) : String(d);
  }
  return texts;
}

function parseField(f: FieldSpec, text: string): { value?: unknown; problem?: string } {
  if (f.kind === 'boolean') return { value: text === 'true' };
  if (text.trim() === '') return f.required && f.nullable ? { value: null } : {};
  switch (f.kind) {
    case 'string':
      return { value: text };
    case 'number':
    case 'integer': {
      const n = Number(text);
      return Number.isFinite(n) ? { value: n } : { problem: 'must be a number' };
    }
    case 'enum':
      return { value: f.options.find((o) => String(o) === text) ?? text };
    default:
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return { problem: 'is not valid JSON' };
      }
  }
}

/** The parameters object, and every problem found parsing or validating it. */
export function textsToParams(
  schema: JsonSchema,
  texts: Readonly<Record<string, string>>,
): { params: Record<string, unknown>; problems: SchemaProblem[] } {
  const params: Record<string, unknown> = {};
  const problems: SchemaProblem[] = [];
  for (const f of fieldsOf(schema)) {
    const { value, problem } = parseField(f, texts[f.name] ?? '');
    if (problem) problems.push({ path: f.name, message: problem });
    else if (value !== undefined) params[f.name] = value;
  }
  const unparsed = new Set(problems.map((p) => p.path));
  problems.push(...validate(schema, params).filter((p) => !unparsed.has(p.path.split('.')[0] ?? '')));
  return { params, problems };
}
