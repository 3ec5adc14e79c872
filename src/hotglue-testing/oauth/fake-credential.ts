import { randomBytes } from 'node:crypto';
import type { JsonObject } from '../emulator-options.js';

/** Lifetime of an emulated OAuth access token, in seconds (a common provider default). */
export const FAKE_TOKEN_TTL_SECONDS = 3600;

/**
 * The credential the emulated provider grants on "Allow": random, obviously fake tokens (`emu-at-…`,
 * `emu-rt-…`) shaped like an OAuth 2 token response, plus `instance_url` on the emulator (where its
 * emulated provider API answers). Kept in the linked item's `config`, as hotglue keeps a tenant's tokens.
 */
export function fakeOAuthCredential(baseUrl: string, provider: string, now: number): JsonObject {
  return {
    access_token: `emu-at-${randomBytes(18).toString('base64url')}`,
    refresh_token: `emu-rt-${randomBytes(18).toString('base64url')}`,
    token_type: 'Bearer',
    expires_in: FAKE_TOKEN_TTL_SECONDS,
    expires_at: new Date(now + FAKE_TOKEN_TTL_SECONDS * 1000).toISOString(),
    instance_url: `${baseUrl}/_provider/${encodeURIComponent(provider)}`,
  };
}
