import type { Provider } from '@nestjs/common';
import { HOTGLUE_HTTP_POOL } from './client/client.constants.js';
import { createHotgluePool } from './client/http-pool.js';
import {
  HOTGLUE_JWT_SIGNER,
  HOTGLUE_OPTIONS,
  HOTGLUE_SETUP,
  HOTGLUE_SIGNING_KEY,
} from './hotglue.constants.js';
import { HOTGLUE_MODULE_OPTIONS } from './hotglue.module-definition.js';
import type { HotglueModuleOptions, HotglueResolvedOptions } from './hotglue.options.js';
import { type HotglueSetup, resolveHotglueOptions } from './resolve-options.js';
import type { HotglueSigningKey } from './signing-key/index.js';
import { createRs256Signer, type HotglueJwtSigner } from './token/rs256.js';

/**
 * Derived objects are built once, by factories that inject the options (as `@nestjs/axios` builds its
 * instance). Validation runs in the first one, so a bad configuration fails `compile()`, not the first call.
 */
export const hotglueProviders: Provider[] = [
  {
    provide: HOTGLUE_SETUP,
    useFactory: (raw: HotglueModuleOptions): HotglueSetup => resolveHotglueOptions(raw),
    inject: [HOTGLUE_MODULE_OPTIONS],
  },
  {
    provide: HOTGLUE_OPTIONS,
    useFactory: (setup: HotglueSetup) => setup.options,
    inject: [HOTGLUE_SETUP],
  },
  {
    provide: HOTGLUE_SIGNING_KEY,
    useFactory: (setup: HotglueSetup) => setup.signingKey,
    inject: [HOTGLUE_SETUP],
  },
  {
    provide: HOTGLUE_JWT_SIGNER,
    useFactory: (key: HotglueSigningKey): HotglueJwtSigner => createRs256Signer(key.privateKey),
    inject: [HOTGLUE_SIGNING_KEY],
  },
  {
    // One keep-alive pool per module, closed by `HotgluePoolLifecycle` on shutdown.
    provide: HOTGLUE_HTTP_POOL,
    useFactory: (options: HotglueResolvedOptions) => createHotgluePool(options),
    inject: [HOTGLUE_OPTIONS],
  },
];
