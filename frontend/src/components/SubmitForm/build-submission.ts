/**
 * Submit form state: a draft per task type, the form ⇄ JSON switch, and the request body,
 * validated like the server will (schema.gen request schema + the task's parameter schema).
 */
import { validate, type JsonSchema, type SchemaProblem } from '../../api/json-schema';
import { requestSchemas } from '../../api/schema.gen';
import type { SubmitTaskBody, TaskType } from '../../api/types';
import { parseJsonObject } from '../JsonEditor/JsonEditor';
import { initialTexts, isFormable, textsToParams } from '../SchemaForm/schema-fields';

export interface SubmitDraft {
  name: string;
  version: number;
  queue: string;
  /** `datetime-local` value, '' to run now. */
  runAt: string;
  mode: 'form' | 'json';
  texts: Readonly<Record<string, string>>;
  json: string;
}

export interface Submission {
  body: SubmitTaskBody;
  runAt: string | null;
}

export function buildSubmission(
  draft: SubmitDraft,
  schema: JsonSchema | null,
): { submission: Submission | null; fieldProblems: SchemaProblem[]; problems: string[] } {
  const problems: string[] = [];
  let fieldProblems: SchemaProblem[] = [];
  let parameters: Record<string, unknown> | null = null;
  if (draft.mode === 'form' && schema) {
    const r = textsToParams(schema, draft.texts);
    fieldProblems = r.problems;
    parameters = r.params;
  } else {
    const parsed = parseJsonObject(draft.json);
    if (parsed.problem) problems.push(parsed.problem);
    parameters = parsed.value;
    if (parameters && schema)
      problems.push(...validate(schema, parameters).map((p) => `${p.path || 'parameters'} ${p.message}`));
  }
  if (!draft.name.trim()) problems.push('Choose a task type');
  const body: SubmitTaskBody = {
    name: draft.name.trim(),
    version: draft.version,
    queue: draft.queue || null,
    parameters: parameters ?? {},
  };
  if (draft.name.trim()) {
    for (const p of validate(requestSchemas.submitTask, body)) {
      if (!p.path.startsWith('parameters')) problems.push(`${p.path} ${p.message}`);
    }
  }
  let runAt: string | null = null;
  if (draft.runAt) {
    const t = new Date(draft.runAt);
    if (Number.isNaN(t.getTime())) problems.push('Run at is not a valid date');
    else runAt = t.toISOString();
  }
  const ok = problems.length === 0 && fieldProblems.length === 0 && parameters !== null;
  return { submission: ok ? { body, runAt } : null, fieldProblems, problems };
}

/** A fresh draft for a task type: its schema's defaults in the form, or `{}` in the JSON editor. */
export function draftFor(type: TaskType | undefined, queue = '', runAt = ''): SubmitDraft {
  const schema = type?.parametersSchema ?? null;
  const formable = isFormable(schema);
  return {
    name: type?.name ?? '',
    version: type?.version ?? 0,
    queue,
    runAt,
    mode: formable ? 'form' : 'json',
    texts: formable ? initialTexts(schema) : {},
    json: '{}',
  };
}

/** The draft fields after toggling form ⇄ JSON, carrying the values over; null when the JSON does not parse. */
export function switchedMode(draft: SubmitDraft, schema: JsonSchema): Partial<SubmitDraft> | null {
  if (draft.mode === 'form') {
    return { mode: 'json', json: JSON.stringify(textsToParams(schema, draft.texts).params, null, 2) };
  }
  const parsed = parseJsonObject(draft.json).value;
  if (!parsed) return null;
  const texts = Object.fromEntries(
    Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  return { mode: 'form', texts: { ...initialTexts(schema), ...texts } };
}
