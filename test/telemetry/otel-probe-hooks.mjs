import { appendFileSync } from 'node:fs';

/** ESM resolve hook: logs `@opentelemetry/*` specifiers to OTEL_PROBE_LOG; OTEL_PROBE_BLOCK=1 makes them unresolvable. */
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('@opentelemetry/')) {
    appendFileSync(process.env.OTEL_PROBE_LOG, `${specifier}\n`);
    if (process.env.OTEL_PROBE_BLOCK === '1') {
      const error = new Error(`Cannot find package '${specifier}' (blocked by the spec)`);
      error.code = 'ERR_MODULE_NOT_FOUND';
      throw error;
    }
  }
  return next(specifier, context);
}
