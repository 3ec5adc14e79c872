import { createHash, timingSafeEqual } from 'node:crypto';
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
  readonly requireJwt: boolean;
}

/**
 * hotglue-api.md §1 as the emulator enforces it. The secret key may do everything. The public key may call
 * "W" routes only (403 otherwise); where the route takes a token (`T` = Y) and `requireJwt` is on, it needs
 * one (401 when missing or invalid, 403 when issued for another tenant). A token sent where it is optional
 * is verified all the same, so a client bug that sends a bad token is not hidden.
 */
export function authorize(input: AuthorizeInput): Authorization {
  if (input.keyKind === 'secret') return { privileged: true };
  if (input.route.access === 'secret') {
    throw forbidden('This operation requires the secret (environment) API key');
  }
  const { token, tenant } = input;
  if (token === undefined) {
    if (input.route.token === 'required' && input.requireJwt) {
      throw unauthorized('Missing token: this environment requires a JWT to authenticate tenant requests');
    }
    return { privileged: false };
  }
  if (!token.valid) throw unauthorized(`Invalid token (${token.problem})`);
  if (tenant !== undefined && token.sub !== tenant) throw forbidden('Token was issued for another tenant');
  return { privileged: tenant !== undefined };
}
