/** Queue configuration (spec §4.2) and roles (spec §4.3). */
export const RATE_PERIODS = ['second', 'minute', 'hour', 'day'] as const;
export type RatePeriod = (typeof RATE_PERIODS)[number];

const PERIOD_SECONDS: Record<RatePeriod, number> = { second: 1, minute: 60, hour: 3600, day: 86400 };

export interface QueueConfig {
  name: string;
  /** Running tasks allowed at once across all workers; null or 0 = unlimited. */
  maxConcurrent: number | null;
  rateNumerator: number | null;
  rateDenominator: number | null;
  ratePeriod: RatePeriod | null;
}

/** The limits the claim script enforces, in the units it wants. */
export interface QueueLimits {
  /** 0 = unlimited. */
  maxConcurrent: number;
  /** 0 = no rate limit. */
  rateCount: number;
  ratePeriodMs: number;
}

export const NO_LIMITS: QueueLimits = Object.freeze({ maxConcurrent: 0, rateCount: 0, ratePeriodMs: 0 });

/** A queue is rate limited only when numerator, denominator and period are all set (spec §4.2). */
export function queueLimits(config: QueueConfig | null | undefined): QueueLimits {
  if (!config) return NO_LIMITS;
  const rateLimited = !!config.rateNumerator && !!config.rateDenominator && !!config.ratePeriod;
  return {
    maxConcurrent: config.maxConcurrent ?? 0,
    rateCount: rateLimited ? (config.rateNumerator as number) : 0,
    ratePeriodMs: rateLimited
      ? (config.rateDenominator as number) * PERIOD_SECONDS[config.ratePeriod as RatePeriod] * 1000
      : 0,
  };
}

export function periodInSeconds(config: QueueConfig): number | null {
  if (!config.ratePeriod || !config.rateDenominator) return null;
  return config.rateDenominator * PERIOD_SECONDS[config.ratePeriod];
}

export interface RoleConfig {
  name: string;
  queues: string[];
}

export const DEFAULT_QUEUE = 'default';
export const DEFAULT_ROLE = 'default';
