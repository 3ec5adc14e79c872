import { randomBytes } from 'node:crypto';

/** Every fake access / refresh token a spec created: none may ever show up in a log line or an error. */
export const issuedTokens: string[] = [];

/**
 * A linked source's / connector's `config` exactly as the emulated OAuth consent page stores it (the emulator's
 * contract, docs/emulator.md), with canary tokens: `{ access_token: 'emu-at-…', refresh_token: 'emu-rt-…',
 * token_type, expires_in: 3600, expires_at: one hour after `now` }` plus `extra` (e.g. `instance_url`).
 */
export function consentConfig(
  now = Date.now(),
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const accessToken = `emu-at-${randomBytes(18).toString('base64url')}`;
  const refreshToken = `emu-rt-${randomBytes(18).toString('base64url')}`;
  issuedTokens.push(accessToken, refreshToken);
  return {
    access_token: accessToken,
    refresh_token: refreshToken,
    token_type: 'Bearer',
    expires_in: 3600,
    expires_at: new Date(now + 3_600_000).toISOString(),
    ...extra,
  };
}
