import type { OtelApiSubset } from './otel-telemetry.js';
import { type HotglueTelemetry, NOOP_TELEMETRY } from './telemetry.js';

/**
 * Loads `@opentelemetry/api` if the app has it (an optional peer) and builds the module's telemetry over
 * it; `NOOP_TELEMETRY` when it is absent or `enabled` is false. A dynamic `import()`, run once per
 * environment at module init, so importing `nestjs-hotglue` never loads (or requires) the API.
 */
export async function loadHotglueTelemetry(
  environment: string | undefined,
  enabled = true,
): Promise<HotglueTelemetry> {
  if (!enabled) return NOOP_TELEMETRY;
  let api: OtelApiSubset;
  try {
    // Named exports of the CommonJS build, as Node's ESM loader exposes them (checked: SpanKind, metrics...).
    api = (await importOptionalPeer('@opentelemetry/api')) as OtelApiSubset;
  } catch {
    // Not installed: telemetry stays off, and nothing else changes.
    return NOOP_TELEMETRY;
  }
  const { createOtelTelemetry } = await import('./otel-telemetry.js');
  return createOtelTelemetry(api, environment);
}

/**
 * `import()` of an optional peer whose name reaches the call as a value, not a literal: bundlers (esbuild
 * `--bundle`, webpack) resolve literal specifiers at build time and fail when the peer is not installed, but
 * leave a computed one to Node at run time, where a missing peer is the caught error above. So an app
 * bundles with no flag naming this peer, and the bundle still starts without it.
 */
function importOptionalPeer(name: string): Promise<unknown> {
  return import(name);
}
