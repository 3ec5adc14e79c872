import type { HotglueValidatedOptions } from '../options/hotglue.options.js';
import type { SigningKeyState } from '../signing-key/index.js';
import type { HotglueTelemetry } from '../telemetry/index.js';

/**
 * One registered hotglue environment as health checks, the CLI and companion kits (webhooks) see it:
 * resolve it with `moduleRef.get(getHotglueEnvironmentToken(name), { strict: false })`.
 */
export interface HotglueEnvironment {
  /** The name given to `forRoot({ name })`; `undefined` for the unnamed environment. */
  readonly name: string | undefined;
  /** Its validated options (API keys non-enumerable). */
  readonly options: HotglueValidatedOptions;
  /** Its active signing key and the last refused rotation, if any. */
  readonly signingKey: SigningKeyState;
  /**
   * Its telemetry sink (no-op without `@opentelemetry/api`). Companion kits report through it, e.g. the
   * webhook kit calls `telemetry.recordWebhookDelivery(outcome)` for each delivery it receives.
   */
  readonly telemetry: HotglueTelemetry;
}
