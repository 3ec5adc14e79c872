/** Injection token of the validated `HotglueValidatedOptions`. Prefer `InjectHotglueOptions()`. */
export const HOTGLUE_OPTIONS = Symbol('HOTGLUE_OPTIONS');
/** Injection token of the parsed `HotglueSigningKey`. Prefer `InjectHotglueSigningKey()`. */
export const HOTGLUE_SIGNING_KEY = Symbol('HOTGLUE_SIGNING_KEY');
/** Injection token of the `HotglueJwtSigner` the token service signs with (override it to count signings). */
export const HOTGLUE_JWT_SIGNER = Symbol('HOTGLUE_JWT_SIGNER');
/** Internal: options and key resolved together, so one error lists every problem. */
export const HOTGLUE_SETUP = Symbol('HOTGLUE_SETUP');
/** Internal: the raw options given to `forRoot` / returned by the `forRootAsync` factory. */
export const HOTGLUE_MODULE_OPTIONS = Symbol('HOTGLUE_MODULE_OPTIONS');
/** Internal: the environment's name (`null` for the unnamed one), as `forRoot({ name })` gave it. */
export const HOTGLUE_ENVIRONMENT_NAME = Symbol('HOTGLUE_ENVIRONMENT_NAME');
/** Internal: the environment's `SigningKeyState` (active key, rotation). */
export const HOTGLUE_KEY_STATE = Symbol('HOTGLUE_KEY_STATE');
/** Internal: the environment's `HotglueTelemetry` (no-op without `@opentelemetry/api`). */
export const HOTGLUE_TELEMETRY = Symbol('HOTGLUE_TELEMETRY');
/** Injection token of the unnamed environment's `HotglueEnvironment`. Prefer `getHotglueEnvironmentToken()`. */
export const HOTGLUE_ENVIRONMENT = Symbol('HOTGLUE_ENVIRONMENT');
