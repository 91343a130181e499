/** Adapts the pino process logger to the small TaskLogger interface the loops use. */
import type { Logger } from '../telemetry/logger.js';
import type { TaskLogger } from '../tasks/context.js';

export function toTaskLogger(logger: Logger): TaskLogger {
  return {
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
    debug: (msg, fields) => logger.debug(fields ?? {}, msg),
    isDebugEnabled: () => logger.isLevelEnabled('debug'),
  };
}
