/**
 * The error catalogue. Every error the library or the API reports on purpose is one of these:
 * a stable `code`, the HTTP status the Manager answers with, and a message that says what failed,
 * with which value, and what to do. docs/errors.md lists them; a test keeps the two in step.
 */
export class JobbersError extends Error {
  readonly code: string;
  readonly httpStatus: number;
  constructor(code: string, httpStatus: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobbersError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

function define(code: string, httpStatus: number) {
  return {
    code,
    httpStatus,
    make: (message: string, cause?: unknown) => new JobbersError(code, httpStatus, message, { cause }),
  };
}

export const ERRORS = {
  taskNotFound: define('JOBBERS_ERR_TASK_NOT_FOUND', 404),
  unknownTask: define('JOBBERS_ERR_UNKNOWN_TASK', 400),
  invalidParameters: define('JOBBERS_ERR_INVALID_PARAMETERS', 400),
  unknownQueue: define('JOBBERS_ERR_UNKNOWN_QUEUE', 400),
  invalidName: define('JOBBERS_ERR_INVALID_NAME', 400),
  invalidTaskId: define('JOBBERS_ERR_INVALID_TASK_ID', 400),
  duplicateTask: define('JOBBERS_ERR_DUPLICATE_TASK', 409),
  notCancellable: define('JOBBERS_ERR_NOT_CANCELLABLE', 409),
  notResubmittable: define('JOBBERS_ERR_NOT_RESUBMITTABLE', 409),
  queueExists: define('JOBBERS_ERR_QUEUE_EXISTS', 409),
  queueNotFound: define('JOBBERS_ERR_QUEUE_NOT_FOUND', 404),
  roleExists: define('JOBBERS_ERR_ROLE_EXISTS', 409),
  roleNotFound: define('JOBBERS_ERR_ROLE_NOT_FOUND', 404),
  invalidQueueConfig: define('JOBBERS_ERR_INVALID_QUEUE_CONFIG', 400),
  invalidTaskDefinition: define('JOBBERS_ERR_INVALID_TASK_DEFINITION', 500),
  duplicateTaskDefinition: define('JOBBERS_ERR_DUPLICATE_TASK_DEFINITION', 500),
  taskModuleLoad: define('JOBBERS_ERR_TASK_MODULE', 500),
  invalidSetting: define('JOBBERS_ERR_INVALID_SETTING', 500),
  badRequest: define('JOBBERS_ERR_BAD_REQUEST', 400),
  unauthorized: define('JOBBERS_ERR_UNAUTHORIZED', 401),
  forbidden: define('JOBBERS_ERR_FORBIDDEN', 403),
  storeUnavailable: define('JOBBERS_ERR_STORE_UNAVAILABLE', 503),
} as const;

export type ErrorName = keyof typeof ERRORS;

export function isJobbersError(err: unknown, name?: ErrorName): err is JobbersError {
  return err instanceof JobbersError && (name === undefined || err.code === ERRORS[name].code);
}
