import { importOptionalPeer } from '../internal/import-optional-peer.js';
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
