import type { InjectionToken, Provider } from '@nestjs/common';
import { HOTGLUE_HTTP_POOL } from './client/client.constants.js';
import { HotglueClient } from './client/hotglue-client.js';
import { createHotgluePool, HotgluePoolLifecycle } from './client/http-pool.js';
import {
  HOTGLUE_ENVIRONMENT,
  HOTGLUE_ENVIRONMENT_NAME,
  HOTGLUE_JWT_SIGNER,
  HOTGLUE_KEY_STATE,
  HOTGLUE_MODULE_OPTIONS,
  HOTGLUE_OPTIONS,
  HOTGLUE_SETUP,
  HOTGLUE_SIGNING_KEY,
} from './hotglue.constants.js';
import {
  getHotglueClientToken,
  getHotglueEnvironmentToken,
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  getHotglueTokenServiceToken,
} from './hotglue.decorators.js';
import type { HotglueEnvironment } from './hotglue.environment-info.js';
import type { HotglueModuleOptions, HotglueResolvedOptions } from './hotglue.options.js';
import { type HotglueSetup, resolveHotglueOptions } from './resolve-options.js';
import { SigningKeyState } from './signing-key/index.js';
import { HotglueSigningKeyLifecycle } from './signing-key/signing-key-lifecycle.js';
import { HotglueTokenService } from './token/hotglue-token.service.js';
import { createRs256Signer, type HotglueJwtSigner } from './token/rs256.js';

/**
 * Signs with whatever key is active: the RS256 signer is rebuilt the first time it is used after a
 * rotation. A signing already running finishes with the key it started with; nothing fails.
 */
function rotatingSigner(state: SigningKeyState): HotglueJwtSigner {
  let key = state.current;
  let signer = createRs256Signer(key.privateKey);
  return (input) => {
    if (state.current !== key) {
      key = state.current;
      signer = createRs256Signer(key.privateKey);
    }
    return signer(input);
  };
}

/**
 * One environment's providers. Derived objects are built once, by factories that inject the options (as
 * `@nestjs/axios` builds its instance); validation runs in the first one, so a bad configuration fails
 * `compile()`, not the first call. Every environment (named or not) is its own module instance, so these
 * internal tokens never meet another environment's; only the exports below differ by name.
 */
export const hotglueProviders: Provider[] = [
  {
    provide: HOTGLUE_SETUP,
    useFactory: (raw: HotglueModuleOptions, name: string | null): HotglueSetup =>
      resolveHotglueOptions(raw, name === null ? {} : { name }),
    inject: [HOTGLUE_MODULE_OPTIONS, HOTGLUE_ENVIRONMENT_NAME],
  },
  {
    provide: HOTGLUE_OPTIONS,
    useFactory: (setup: HotglueSetup) => setup.options,
    inject: [HOTGLUE_SETUP],
  },
  {
    provide: HOTGLUE_KEY_STATE,
    useFactory: (setup: HotglueSetup) => new SigningKeyState(setup.signingKey),
    inject: [HOTGLUE_SETUP],
  },
  {
    // A live view: it always reads the active key, so holders of this object see rotations.
    provide: HOTGLUE_SIGNING_KEY,
    useFactory: (state: SigningKeyState) => state.view,
    inject: [HOTGLUE_KEY_STATE],
  },
  {
    provide: HOTGLUE_JWT_SIGNER,
    useFactory: rotatingSigner,
    inject: [HOTGLUE_KEY_STATE],
  },
  {
    // One keep-alive pool per environment, closed by `HotgluePoolLifecycle` on shutdown.
    provide: HOTGLUE_HTTP_POOL,
    useFactory: (options: HotglueResolvedOptions) => createHotgluePool(options),
    inject: [HOTGLUE_OPTIONS],
  },
  {
    provide: HOTGLUE_ENVIRONMENT,
    useFactory: (setup: HotglueSetup, state: SigningKeyState): HotglueEnvironment =>
      Object.freeze({ name: setup.name, options: setup.options, signingKey: state }),
    inject: [HOTGLUE_SETUP, HOTGLUE_KEY_STATE],
  },
  HotglueTokenService,
  HotglueClient,
  HotgluePoolLifecycle,
  HotglueSigningKeyLifecycle,
];

/**
 * Providers and exports of one environment's module. The unnamed environment exports the class tokens and
 * symbols it always did; a named one exports only its name's tokens (aliases of its internal providers), so
 * environments never shadow each other in the importing module.
 */
export function hotglueEnvironmentDefinition(name: string | undefined): {
  providers: Provider[];
  exports: InjectionToken[];
} {
  const providers: Provider[] = [
    { provide: HOTGLUE_ENVIRONMENT_NAME, useValue: name ?? null },
    ...hotglueProviders,
  ];
  if (name === undefined) {
    return {
      providers,
      exports: [
        HOTGLUE_OPTIONS,
        HOTGLUE_SIGNING_KEY,
        HOTGLUE_JWT_SIGNER,
        HOTGLUE_HTTP_POOL,
        HOTGLUE_ENVIRONMENT,
        HotglueTokenService,
        HotglueClient,
      ],
    };
  }
  const aliases: Provider[] = [
    { provide: getHotglueOptionsToken(name), useExisting: HOTGLUE_OPTIONS },
    { provide: getHotglueSigningKeyToken(name), useExisting: HOTGLUE_SIGNING_KEY },
    { provide: getHotglueEnvironmentToken(name), useExisting: HOTGLUE_ENVIRONMENT },
    { provide: getHotglueTokenServiceToken(name), useExisting: HotglueTokenService },
    { provide: getHotglueClientToken(name), useExisting: HotglueClient },
  ];
  return {
    providers: [...providers, ...aliases],
    exports: aliases.map((alias) => (alias as { provide: symbol }).provide),
  };
}
