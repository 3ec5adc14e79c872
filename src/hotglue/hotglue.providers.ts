import type { InjectionToken, Provider } from '@nestjs/common';
import { HOTGLUE_PROVIDER_AGENT } from './client/client.constants.js';
import { HotglueClient } from './client/hotglue-client.js';
import { HotglueHttpPool, HotgluePoolLifecycle, type HotglueRequester } from './client/http-pool.js';
import { HotglueCredentialsEviction } from './credentials-eviction.js';
import type { HotglueEnvironment } from './environment/environment-info.js';
import {
  getHotglueClientToken,
  getHotglueEnvironmentToken,
  getHotglueHttpPoolToken,
  getHotglueJwtSignerToken,
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  getHotglueTokenServiceToken,
} from './environment/hotglue.decorators.js';
import {
  HOTGLUE_ENVIRONMENT_NAME,
  HOTGLUE_KEY_STATE,
  HOTGLUE_MODULE_OPTIONS,
  HOTGLUE_SETUP,
  HOTGLUE_TELEMETRY,
} from './hotglue.constants.js';
import type { HotglueModuleOptions, HotglueValidatedOptions } from './options/hotglue.options.js';
import { type HotglueSetup, validateHotglueOptions } from './options/validate-options.js';
import { ProviderAgent } from './provider/provider-http.js';
import { type HotglueSigningKey, SigningKeyState } from './signing-key/index.js';
import { HotglueSigningKeyLifecycle } from './signing-key-lifecycle.js';
import { type HotglueTelemetry, loadHotglueTelemetry } from './telemetry/index.js';
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
 * One environment's providers and exports. Derived objects are built once, by factories that inject the
 * options (as `@nestjs/axios` builds its instance); validation runs in the first one, so a bad
 * configuration fails `compile()`, not the first call.
 *
 * Every environment is its own module instance. Its public objects are provided under its own tokens
 * (`getHotglue*Token(name)`; without a name, the class tokens and symbols the module always had), so a
 * non-strict `moduleRef.get(HotglueTokenService)` never finds a named environment's service. Only the
 * internal setup objects share symbols, which stay local to each module instance.
 */
export function hotglueEnvironmentDefinition(name: string | undefined): {
  providers: Provider[];
  exports: InjectionToken[];
} {
  const t = {
    options: getHotglueOptionsToken(name),
    signingKey: getHotglueSigningKeyToken(name),
    signer: getHotglueJwtSignerToken(name),
    pool: getHotglueHttpPoolToken(name),
    environment: getHotglueEnvironmentToken(name),
    tokens: getHotglueTokenServiceToken(name),
    client: getHotglueClientToken(name),
  };
  const providers: Provider[] = [
    { provide: HOTGLUE_ENVIRONMENT_NAME, useValue: name ?? null },
    {
      provide: HOTGLUE_SETUP,
      useFactory: (raw: HotglueModuleOptions, envName: string | null): HotglueSetup =>
        validateHotglueOptions(raw, envName === null ? {} : { name: envName }),
      inject: [HOTGLUE_MODULE_OPTIONS, HOTGLUE_ENVIRONMENT_NAME],
    },
    { provide: t.options, useFactory: (setup: HotglueSetup) => setup.options, inject: [HOTGLUE_SETUP] },
    {
      provide: HOTGLUE_KEY_STATE,
      useFactory: (setup: HotglueSetup) => new SigningKeyState(setup.signingKey),
      inject: [HOTGLUE_SETUP],
    },
    // A live view: it always reads the active key, so holders of this object see rotations.
    {
      provide: t.signingKey,
      useFactory: (state: SigningKeyState) => state.view,
      inject: [HOTGLUE_KEY_STATE],
    },
    { provide: t.signer, useFactory: rotatingSigner, inject: [HOTGLUE_KEY_STATE] },
    // One keep-alive pool per environment, closed by `HotgluePoolLifecycle` on shutdown.
    {
      provide: t.pool,
      useFactory: (options: HotglueValidatedOptions) => new HotglueHttpPool(options),
      inject: [t.options],
    },
    // Provider calls' agent (every provider origin), closed by its own onApplicationShutdown.
    {
      provide: HOTGLUE_PROVIDER_AGENT,
      useFactory: (options: HotglueValidatedOptions) => new ProviderAgent(options.providerHttp),
      inject: [t.options],
    },
    {
      // Async: `@opentelemetry/api` is imported here, at module init, and only when installed.
      provide: HOTGLUE_TELEMETRY,
      useFactory: (setup: HotglueSetup) => loadHotglueTelemetry(setup.name, setup.options.telemetry),
      inject: [HOTGLUE_SETUP],
    },
    {
      provide: t.environment,
      useFactory: (
        setup: HotglueSetup,
        state: SigningKeyState,
        telemetry: HotglueTelemetry,
      ): HotglueEnvironment =>
        Object.freeze({ name: setup.name, options: setup.options, signingKey: state, telemetry }),
      inject: [HOTGLUE_SETUP, HOTGLUE_KEY_STATE, HOTGLUE_TELEMETRY],
    },
    {
      provide: t.tokens,
      useFactory: (
        options: HotglueValidatedOptions,
        key: HotglueSigningKey,
        signer: HotglueJwtSigner,
        state: SigningKeyState,
        telemetry: HotglueTelemetry,
      ) => new HotglueTokenService(options, key, signer, state, telemetry),
      inject: [t.options, t.signingKey, t.signer, HOTGLUE_KEY_STATE, HOTGLUE_TELEMETRY],
    },
    {
      provide: t.client,
      useFactory: (
        options: HotglueValidatedOptions,
        tokens: HotglueTokenService,
        pool: HotglueRequester,
        telemetry: HotglueTelemetry,
        agent: ProviderAgent,
      ) => new HotglueClient(options, tokens, pool, telemetry, agent),
      inject: [t.options, t.tokens, t.pool, HOTGLUE_TELEMETRY, HOTGLUE_PROVIDER_AGENT],
    },
    // Connection webhooks evict this environment's cached credentials (found and run by
    // HotglueWebhooksModule's handler discovery when the app imports it; inert otherwise).
    {
      provide: HotglueCredentialsEviction,
      useFactory: (client: HotglueClient) => new HotglueCredentialsEviction(client, name),
      inject: [t.client],
    },
    {
      provide: HotgluePoolLifecycle,
      useFactory: (pool: ConstructorParameters<typeof HotgluePoolLifecycle>[0]) =>
        new HotgluePoolLifecycle(pool),
      inject: [t.pool],
    },
    {
      provide: HotglueSigningKeyLifecycle,
      useFactory: (setup: HotglueSetup, state: SigningKeyState) =>
        new HotglueSigningKeyLifecycle(setup, state),
      inject: [HOTGLUE_SETUP, HOTGLUE_KEY_STATE],
    },
  ];
  return { providers, exports: Object.values(t) };
}
