import type { ProviderApi } from './provider-registry.js';

/** Why no provider URL could be built. */
export type ProfileUrlProblem = 'no-base-url' | 'malformed' | 'not-allowed';

/**
 * The URL of the provider's profile call: the credentials' `instance_url` when present, else the
 * registry's `baseUrl`, accepted only when its origin is allowed (see `ProviderApi`), plus `profilePath`.
 * Pure; returns a problem instead of throwing, and never echoes the URL (it is outside text).
 */
export function profileUrl(
  api: ProviderApi,
  properties: Readonly<Record<string, unknown>>,
): { url: URL } | { problem: ProfileUrlProblem } {
  const instance = properties.instance_url;
  const base = typeof instance === 'string' && instance !== '' ? instance : api.baseUrl;
  if (base === undefined) return { problem: 'no-base-url' };
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    return { problem: 'malformed' };
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash) return { problem: 'not-allowed' };
  if (!isAllowedOrigin(api, parsed)) return { problem: 'not-allowed' };
  const url = new URL(parsed.href);
  url.pathname = `${parsed.pathname.replace(/\/+$/, '')}${api.profilePath}`;
  // The path cannot change the origin, but check the result as sent, not the input.
  return url.origin === parsed.origin ? { url } : { problem: 'not-allowed' };
}

function isAllowedOrigin(api: ProviderApi, url: URL): boolean {
  if (api.origins?.includes(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const host = url.hostname.toLowerCase();
  return (api.hostSuffixes ?? []).some(
    (suffix) => suffix.startsWith('.') && host.endsWith(suffix.toLowerCase()) && host.length > suffix.length,
  );
}
