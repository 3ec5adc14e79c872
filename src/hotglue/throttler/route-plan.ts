import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type {
  ThrottlerGenerateKeyFunction,
  ThrottlerGetTrackerFunction,
  ThrottlerOptions,
} from '@nestjs/throttler';

/**
 * `@nestjs/throttler`'s metadata keys (its `throttler.constants`, which the package does not export; the
 * same strings since v5). A spec proves `@SkipThrottle` and `@Throttle` still reach the guard.
 */
const KEYS = {
  skip: 'THROTTLER:SKIP',
  limit: 'THROTTLER:LIMIT',
  ttl: 'THROTTLER:TTL',
  blockDuration: 'THROTTLER:BLOCK_DURATION',
  tracker: 'THROTTLER:TRACKER',
  keyGenerator: 'THROTTLER:KEY_GENERATOR',
} as const;

/** One named throttler as it applies to one route, everything read from metadata once. */
export interface PlannedThrottler {
  readonly throttler: ThrottlerOptions;
  readonly skip: boolean;
  readonly skipIf: ((context: ExecutionContext) => boolean) | undefined;
  readonly limit: number;
  readonly ttl: number;
  readonly blockDuration: number;
  readonly getTracker: ThrottlerGetTrackerFunction;
  readonly generateKey: ThrottlerGenerateKeyFunction;
}

/** The settings every throttler falls back to (`ThrottlerGuard.commonOptions`). */
export interface CommonThrottlerOptions {
  readonly skipIf?: (context: ExecutionContext) => boolean;
  readonly getTracker?: ThrottlerGetTrackerFunction;
  readonly generateKey?: ThrottlerGenerateKeyFunction;
}

/** A number as the base class accepts it (a numeric string too); undefined for anything else. */
function staticNumber(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && !Number.isNaN(number) ? number : undefined;
}

/**
 * What `ThrottlerGuard.canActivate` reads from metadata on every request (five reflector lookups per
 * throttler, three awaited resolutions), read once for a route. `undefined` when a value is resolved per
 * request (a function) or is not a number: the base class then handles the route exactly as it always does.
 */
export function planRoute(
  reflector: Reflector,
  throttlers: readonly ThrottlerOptions[],
  common: CommonThrottlerOptions,
  targets: [handler: object, classRef: object],
): PlannedThrottler[] | undefined {
  const plan: PlannedThrottler[] = [];
  for (const throttler of throttlers) {
    const meta = <T>(key: string) =>
      reflector.getAllAndOverride<T | undefined>(`${key}${throttler.name}`, targets as never);
    const limit = staticNumber(meta(KEYS.limit) ?? throttler.limit);
    const ttl = staticNumber(meta(KEYS.ttl) ?? throttler.ttl);
    if (limit === undefined || ttl === undefined) return undefined;
    const blockDuration = staticNumber(meta(KEYS.blockDuration) ?? throttler.blockDuration ?? ttl);
    const getTracker =
      meta<ThrottlerGetTrackerFunction>(KEYS.tracker) ?? throttler.getTracker ?? common.getTracker;
    const generateKey =
      meta<ThrottlerGenerateKeyFunction>(KEYS.keyGenerator) ?? throttler.generateKey ?? common.generateKey;
    if (blockDuration === undefined || !getTracker || !generateKey) return undefined;
    plan.push({
      throttler,
      skip: Boolean(meta(KEYS.skip)),
      skipIf: throttler.skipIf ?? common.skipIf,
      limit,
      ttl,
      blockDuration,
      getTracker,
      generateKey,
    });
  }
  return plan;
}
