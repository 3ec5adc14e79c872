import { HOTGLUE_ENV_VARS } from '../hotglue/options/hotglue.options.js';
import type { HotglueEmulatorOptions } from './emulator-options.js';
import { HotglueEmulator } from './hotglue-emulator.js';
import { generateTestSigningKey, type TestSigningKey } from './signing-keys.js';

/** Options of `startHotglueTestEnv`. Every field is optional. */
export interface HotglueTestEnvOptions {
  /** The key your app signs with and the emulator trusts. Default: `generateTestSigningKey()`. */
  readonly signingKey?: TestSigningKey;
  /** Emulator options; `jwtPublicKeys` given here are trusted in addition to the signing key's. */
  readonly emulator?: HotglueEmulatorOptions;
  /**
   * Write the variables into `process.env` now, and put the previous values back on `close()`.
   * Default: true, so a spec's `Test.createTestingModule({ imports: [AppModule] })` boots as it is.
   */
  readonly applyToProcessEnv?: boolean;
}

/** A running emulator and the `HOTGLUE_*` variables that point an app's `hotglueConfig` wiring at it. */
export interface HotglueTestEnv {
  readonly emulator: HotglueEmulator;
  readonly signingKey: TestSigningKey;
  /** `HOTGLUE_ENV_ID`, `HOTGLUE_SIGNING_KEY`, both API keys, `HOTGLUE_API_URL` and `HOTGLUE_FLOW_ID`. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Writes `env` into `target` (default `process.env`), unsets `HOTGLUE_SIGNING_KEY_FILE` there (both key
   * settings at once are a config error), and returns a function that puts every previous value back.
   */
  apply(target?: NodeJS.ProcessEnv): () => void;
  /** Restores what `applyToProcessEnv` changed, then stops the emulator. */
  close(): Promise<void>;
}

/**
 * For specs of your own `AppModule`: starts a `HotglueEmulator` that trusts a generated signing key and
 * sets the `HOTGLUE_*` variables that `HotglueModule.forRootAsync(hotglueConfig.asProvider())` reads, so the
 * app boots against the emulator with no real settings.
 *
 * ```ts
 * let hotglue: HotglueTestEnv;
 * beforeAll(async () => { hotglue = await startHotglueTestEnv(); });
 * afterAll(() => hotglue.close());
 * // Test.createTestingModule({ imports: [AppModule] }).compile() now reads the emulator's settings.
 * ```
 */
export async function startHotglueTestEnv(options: HotglueTestEnvOptions = {}): Promise<HotglueTestEnv> {
  const signingKey = options.signingKey ?? generateTestSigningKey();
  const emulatorOptions = options.emulator ?? {};
  const emulator = await HotglueEmulator.start({
    ...emulatorOptions,
    jwtPublicKeys: [signingKey.publicKey, ...(emulatorOptions.jwtPublicKeys ?? [])],
  });
  const env: Record<string, string> = Object.freeze({
    [HOTGLUE_ENV_VARS.envId]: emulator.envId,
    [HOTGLUE_ENV_VARS.signingKey]: signingKey.privateKeyBase64,
    [HOTGLUE_ENV_VARS.publicApiKey]: emulator.publicApiKey,
    [HOTGLUE_ENV_VARS.secretApiKey]: emulator.secretApiKey,
    [HOTGLUE_ENV_VARS.apiUrl]: emulator.url,
    [HOTGLUE_ENV_VARS.flowId]: emulator.defaultFlowId,
  });
  const apply = (target: NodeJS.ProcessEnv = process.env) => {
    const changes = { ...env, [HOTGLUE_ENV_VARS.signingKeyFile]: undefined };
    const previous = Object.fromEntries(Object.keys(changes).map((name) => [name, target[name]]));
    assign(target, changes);
    return () => assign(target, previous);
  };
  const restore = options.applyToProcessEnv === false ? undefined : apply();
  return {
    emulator,
    signingKey,
    env,
    apply,
    async close() {
      restore?.();
      await emulator.close();
    },
  };
}

function assign(target: NodeJS.ProcessEnv, values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete target[name];
    else target[name] = value;
  }
}
