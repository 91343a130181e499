/** Queue and role shapes of spec §8.6–8.7. */
import { z } from 'zod';
import { RATE_PERIODS, type QueueConfig } from '../../domain/queue-config.js';
import { MAX_INT, QueueName, RoleName } from './common.js';

const limitFields = {
  max_concurrent: z
    .number()
    .int()
    .min(0)
    .max(MAX_INT)
    .nullable()
    .default(10)
    .describe('Running tasks allowed at once across all workers; null or 0 = unlimited. Default 10.'),
  rate_numerator: z.number().int().min(1).max(MAX_INT).nullable().default(null).describe('Tasks started per window.'),
  rate_denominator: z
    .number()
    .int()
    .min(1)
    .max(MAX_INT)
    .nullable()
    .default(null)
    .describe('Window length, in rate_period units.'),
  rate_period: z.enum(RATE_PERIODS).nullable().default(null),
};

/** Request body of POST /queues. Rate fields: all three set (a limit) or all null (none). */
export const QueueConfigBody = z.object({ name: QueueName, ...limitFields }).meta({ id: 'QueueConfigRequest' });

/** PUT /queues/{name}: the path names the queue; a `name` in the body is accepted and ignored. */
export const QueueUpdateBody = z
  .object({ name: z.string().optional(), ...limitFields })
  .meta({ id: 'QueueUpdateRequest' });

export const QueueConfigJson = z
  .object({
    name: z.string(),
    max_concurrent: z.number().int().nullable(),
    rate_numerator: z.number().int().nullable(),
    rate_denominator: z.number().int().nullable(),
    rate_period: z.enum(RATE_PERIODS).nullable(),
  })
  .meta({ id: 'QueueConfig' });

export const QueueNameList = z.array(QueueName).max(1000);

export const QueueParams = z.object({ queue_name: QueueName });
export const RoleQueuesParams = z.object({ role: RoleName });
export const RoleParams = z.object({ role_name: RoleName });

export const RoleBody = z.object({ name: RoleName, queues: QueueNameList.default([]) }).meta({ id: 'RoleRequest' });
export const RoleJson = z.object({ role: z.string(), queues: z.array(z.string()) });

export function toQueueConfig(name: string, body: z.output<typeof QueueUpdateBody>): QueueConfig {
  return {
    name,
    maxConcurrent: body.max_concurrent,
    rateNumerator: body.rate_numerator,
    rateDenominator: body.rate_denominator,
    ratePeriod: body.rate_period,
  };
}
