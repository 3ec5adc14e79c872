// Every entry of the package, type-checked under TypeScript's node10 resolution (what `module: commonjs`
// without `moduleResolution` means on TS 5.x): it reads `main`/`types` and `typesVersions`, not `exports`.
import type { HotglueClient, HotglueTokenService } from 'nestjs-hotglue';
import type { HotglueHealthIndicator } from 'nestjs-hotglue/health';
import type { HotglueTestEnv } from 'nestjs-hotglue/testing';
import type { HotglueUserThrottlerGuard } from 'nestjs-hotglue/throttler';

export type EveryEntry = [
  HotglueClient,
  HotglueTokenService,
  HotglueHealthIndicator,
  HotglueTestEnv,
  typeof HotglueUserThrottlerGuard,
];
