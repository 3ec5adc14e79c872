import type { JsonObject } from '../emulator-options.js';

/** Fields holding the URL an OAuth popup opens (see docs/hotglue-reference.md). */
const URL_FIELDS = ['tap_url', 'auth_url', 'target_url'] as const;

/**
 * Returns `entry` with every popup URL that starts with `/` made absolute on `baseUrl` (pure). Seeds can't
 * know the emulator's port before it listens; answering with absolute URLs keeps the widget's popup on the
 * emulator. `//host` is left alone: it is not a path on this emulator.
 */
export function withAbsoluteUrls(entry: JsonObject, baseUrl: string): JsonObject {
  let out: JsonObject | undefined;
  for (const field of URL_FIELDS) {
    const value = entry[field];
    if (typeof value === 'string' && value.startsWith('/') && !value.startsWith('//')) {
      out ??= { ...entry };
      out[field] = `${baseUrl}${value}`;
    }
  }
  return out ?? entry;
}
