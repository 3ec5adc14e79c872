/**
 * nestjs-hotglue/throttler: the per-user `@nestjs/throttler` guard. A subpath of its own so that importing
 * `nestjs-hotglue` never loads `@nestjs/throttler`, an optional peer.
 */
export {
  HotglueUserThrottlerGuard,
  type HotglueUserThrottlerGuardOptions,
} from './hotglue-user-throttler.guard.js';
export {
  HotglueMemoryThrottlerStorage,
  type HotglueMemoryThrottlerStorageOptions,
  type ThrottlerStorageRecord,
} from './memory-throttler-storage.js';
export {
  HotglueRedisThrottlerStorage,
  type HotglueRedisThrottlerStorageOptions,
} from './redis-throttler-storage.js';
