import type { ModuleMetadata, Provider } from '@nestjs/common';
// Types only: `@nestjs/testing` is the app's own (a devDependency, deliberately not a peer: a peer of a
// production dependency would keep it in `npm install --omit=dev`), loaded when this helper runs (never by
// importing `nestjs-hotglue/testing`, whose emulator works without Nest's testing package).
import type { TestingModule, TestingModuleBuilder } from '@nestjs/testing';
import { HotglueModule, type HotglueModuleOptions } from '../hotglue/index.js';
import type { HotglueEmulatorOptions } from './emulator-options.js';
import { HotglueEmulator } from './hotglue-emulator.js';
import { generateTestSigningKey, type TestSigningKey } from './signing-keys.js';

/** Options of `createHotglueTestingModule`. Every field is optional. */
export interface HotglueTestingModuleOptions {
  /** The signing key the module signs with and the emulator trusts. Default: `generateTestSigningKey()`. */
  signingKey?: TestSigningKey;
  /** Emulator options; `jwtPublicKeys` given here are trusted in addition to the signing key's. */
  emulator?: HotglueEmulatorOptions;
  /**
   * Extra or overriding `HotglueModule.forRoot` options (e.g. `tokenTtlSeconds`, or the client's HTTP
   * options). They are passed through as they are; the module validates them. `isGlobal` defaults to
   * true here, so your feature modules can inject `HotglueTokenService` without importing HotglueModule,
   * as they do when your AppModule registers it globally.
   */
  moduleOptions?: Partial<HotglueModuleOptions> & { isGlobal?: boolean } & Record<string, unknown>;
  /** More modules for the testing module (your feature module under test). */
  imports?: ModuleMetadata['imports'];
  /** More providers for the testing module. */
  providers?: Provider[];
  /** Last chance to change the builder before `compile()`, e.g. `overrideProvider(...)`. */
  configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** What `createHotglueTestingModule` gives a spec. */
export interface HotglueTestingModule {
  /** The compiled Nest testing module: `moduleRef.get(HotglueTokenService)`, your services... */
  readonly moduleRef: TestingModule;
  /** The running emulator the module points at (`apiUrl`, API keys, default flow). */
  readonly emulator: HotglueEmulator;
  /** The key the module signs with; the emulator trusts its public half. */
  readonly signingKey: TestSigningKey;
  /** Closes the Nest module and the emulator. */
  close(): Promise<void>;
}

/**
 * One call for a spec: an emulator that trusts a (generated) signing key, and a compiled testing module
 * with `HotglueModule.forRoot` wired to it (env id, key, API URL, both API keys, default flow).
 *
 * ```ts
 * const hotglue = await createHotglueTestingModule({ imports: [MyFeatureModule] });
 * const service = hotglue.moduleRef.get(MyService);
 * // ...
 * await hotglue.close();
 * ```
 */
export async function createHotglueTestingModule(
  options: HotglueTestingModuleOptions = {},
): Promise<HotglueTestingModule> {
  const signingKey = options.signingKey ?? generateTestSigningKey();
  const emulatorOptions = options.emulator ?? {};
  const emulator = await HotglueEmulator.start({
    ...emulatorOptions,
    jwtPublicKeys: [signingKey.publicKey, ...(emulatorOptions.jwtPublicKeys ?? [])],
  });
  try {
    const moduleOptions = {
      isGlobal: true,
      envId: emulator.envId,
      signingKey: signingKey.privateKeyBase64,
      apiUrl: emulator.url,
      // The emulator serves /magicLink too; without this createMagicLink would go to api.hotglue.com.
      magicLinkUrl: emulator.url,
      publicApiKey: emulator.publicApiKey,
      secretApiKey: emulator.secretApiKey,
      flowId: emulator.defaultFlowId,
      ...options.moduleOptions,
    } as HotglueModuleOptions & { isGlobal: boolean };
    const { Test } = await import('@nestjs/testing');
    let builder = Test.createTestingModule({
      imports: [HotglueModule.forRoot(moduleOptions), ...(options.imports ?? [])],
      providers: options.providers ?? [],
    });
    if (options.configure) builder = options.configure(builder);
    const moduleRef = await builder.compile();
    return {
      moduleRef,
      emulator,
      signingKey,
      async close() {
        try {
          await moduleRef.close();
        } finally {
          await emulator.close();
        }
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}
