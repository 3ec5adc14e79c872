import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorRequireJwt } from './emulator-options.js';
import { forbidden, unauthorized } from './http-error.js';
import type { EmulatorKeyKind } from './request-log.js';
import type { RouteDefinition } from './routes/route.js';
import type { TokenCheck } from './token-verifier.js';

/** The two API keys of the emulated environment. */
export interface EmulatorApiKeys {
  readonly publicApiKey: string;
  readonly secretApiKey: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Equal in time independent of where the two differ: both sides are hashed to 32 bytes first. */
function sameKey(candidate: Buffer, key: string): boolean {
  return timingSafeEqual(candidate, digest(key));
}

/**
 * Which key an `x-api-key` header holds, compared in constant time against both keys (a real key may be
 * used with the emulator). A repeated header counts as invalid, not as "the first one".
 */
export function classifyKey(header: string | string[] | undefined, keys: EmulatorApiKeys): EmulatorKeyKind {
  if (header === undefined || header === '') return 'none';
  if (typeof header !== 'string') return 'invalid';
  const candidate = digest(header);
  const secret = sameKey(candidate, keys.secretApiKey);
  const isPublic = sameKey(candidate, keys.publicApiKey);
  return secret ? 'secret' : isPublic ? 'public' : 'invalid';
}

/** Refuses a request without a usable key (401, as hotglue's SDK fixtures show: "Invalid x-api-key"). */
export function assertKnownKey(kind: EmulatorKeyKind): asserts kind is 'public' | 'secret' {
  if (kind === 'none') throw unauthorized('Missing x-api-key');
  if (kind === 'invalid') throw unauthorized('Invalid x-api-key');
}

/** What the route may reveal to this caller. */
export interface Authorization {
  /** Secret key, or public key with a valid token for exactly this tenant: `config` may be returned. */
  readonly privileged: boolean;
}

/** Inputs of `authorize`; `token` is undefined when no `token` query parameter came. */
export interface AuthorizeInput {
  readonly route: RouteDefinition;
  readonly keyKind: 'public' | 'secret';
  readonly token: TokenCheck | undefined;
  /** The tenant a token must name: the path's, or `user_id` for `flows/linked`; undefined when none. */
  readonly tenant: string | undefined;
  readonly requireJwt: EmulatorRequireJwt;
}

/** Whether a route is tenant-specific: it names a tenant in its path (`:tenant`) or in `user_id`. */
export function namesTenant(route: RouteDefinition): boolean {
  return route.tenantFrom === 'user_id' || route.path.split('/').includes(':tenant');
}

/** Whether a public-key call to `route` must carry a token under `requireJwt` (see `EmulatorRequireJwt`). */
export function needsToken(route: RouteDefinition, requireJwt: EmulatorRequireJwt): boolean {
  if (requireJwt === 'widget') return route.token === 'required';
  return requireJwt === true && namesTenant(route);
}

/**
 * hotglue's key model (see docs/hotglue-reference.md) as the emulator enforces it. The secret key may do
 * everything. The public key may call the routes hotglue's widget calls only (403 otherwise). With `requireJwt`
 * on, a public-key call to a tenant-specific route (all of them, or with `'widget'` only those where hotglue's
 * widget sends a token) needs a token: 401 when missing or invalid, 403 when issued for another tenant. A token
 * sent where none is needed is verified all the same, so a client bug that sends a bad token is not hidden.
 */
export function authorize(input: AuthorizeInput): Authorization {
  if (input.keyKind === 'secret') return { privileged: true };
  if (input.route.access === 'secret') {
    throw forbidden('This operation requires the secret (environment) API key');
  }
  const { token, tenant } = input;
  if (token === undefined) {
    if (needsToken(input.route, input.requireJwt)) {
      throw unauthorized('Missing token: this environment requires a JWT to authenticate tenant requests');
    }
    return { privileged: false };
  }
  if (!token.valid) throw unauthorized(`Invalid token (${token.problem})`);
  if (tenant !== undefined && token.sub !== tenant) throw forbidden('Token was issued for another tenant');
  return { privileged: tenant !== undefined };
}
