/**
 * Queue, role and task names end up inside Redis keys and SQL rows, so they are validated before
 * they reach either (spec B30): letters, digits and `_ - .`, 1 to 64 characters. That excludes
 * the key separator `:`, hash-tag braces, glob characters and whitespace.
 */
export const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
export const TASK_NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.\-/@]{0,127}$/;

export const NAME_RULE = 'letters, digits, "_", "-" and "." (1-64 characters, not starting with "-" or ".")';
export const TASK_NAME_RULE =
  'letters, digits, "_", "-", ".", "/" and "@" (1-128 characters, not starting with a symbol)';

export function isValidName(value: unknown): value is string {
  return typeof value === 'string' && NAME_RE.test(value);
}

export function isValidTaskName(value: unknown): value is string {
  return typeof value === 'string' && TASK_NAME_RE.test(value);
}
