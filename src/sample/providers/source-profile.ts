import type { HotglueCredentials } from '../../hotglue/index.js';

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Scalar = string | number | boolean;

/**
 * Only the allow-listed top-level fields, each a scalar or an object of scalars (one level); and, as a
 * second line of defence, no string that contains the tenant's access or refresh token.
 */
export function project(
  answer: Record<string, unknown>,
  fields: readonly string[],
  credentials: HotglueCredentials,
): Record<string, unknown> {
  const secrets = [credentials.accessToken, credentials.refreshToken].filter((s): s is string => !!s);
  const safe = (value: unknown): value is Scalar =>
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    (typeof value === 'string' && !secrets.some((secret) => value.includes(secret)));
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!Object.hasOwn(answer, field)) continue;
    const value = answer[field];
    if (safe(value)) out[field] = value;
    else if (isObject(value)) {
      const inner: Record<string, Scalar> = {};
      for (const [name, item] of Object.entries(value)) if (safe(item)) inner[name] = item;
      out[field] = inner;
    }
  }
  return out;
}
