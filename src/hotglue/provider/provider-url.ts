import { isSecretLookingName } from '../internal/secret-names.js';
import type { ResolvedProviderEntry } from './provider-registry.js';

/** Query parameters of `request()`: each value a scalar or a list of scalars; `undefined` is skipped. */
export type HotglueProviderQuery = Readonly<
  Record<string, string | number | boolean | readonly (string | number | boolean)[] | undefined>
>;

/** Why a URL was refused; the text says what to change, never echoes a credential. */
export class RefusedUrl {
  constructor(readonly message: string) {}
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** A scheme at the start (`https:`, `javascript:`...): the input is meant as an absolute URL. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;
/** A DNS label, what a `{placeholder}` in a base URL may be filled with. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A path segment that is a dot segment, raw or percent-encoded (`.`, `..`, `%2e`, `.%2E`...). */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * Whether `url` may receive the provider's token: its origin is listed exactly in `origins` (the only way to
 * allow http, another port or an IP literal), or it is https on the default port, its host is a name (not an
 * IP literal) and ends with one of `hostSuffixes` with at least one label before it.
 */
export function isAllowedOrigin(entry: ResolvedProviderEntry, url: URL): boolean {
  if (url.username !== '' || url.password !== '') return false;
  if (entry.origins.has(url.origin)) return true;
  if (url.protocol !== 'https:' || url.port !== '') return false;
  const host = url.hostname;
  if (host.startsWith('[') || IPV4.test(host) || host.endsWith('.')) return false;
  return entry.hostSuffixes.some((suffix) => host.length > suffix.length && host.endsWith(suffix));
}

/**
 * The base URL of the provider for these credentials' properties (see `HotglueProviderEntry`), or why none
 * may be used. A property that is present but points elsewhere is refused, not skipped: silently falling
 * back would hide a tampered config.
 */
export function providerBase(
  entry: ResolvedProviderEntry,
  properties: Readonly<Record<string, string | number | boolean>>,
): URL | RefusedUrl {
  for (const name of entry.baseUrlProperties) {
    const value = Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (typeof value !== 'string' || value.trim() === '') continue;
    const text = value.trim();
    const url = parseBase(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (!url || !isAllowedOrigin(entry, url)) {
      return new RefusedUrl(
        `the credentials' ${JSON.stringify(name)} is not an allowed origin for this provider (add it to the provider entry's origins or hostSuffixes if it is genuine)`,
      );
    }
    return withBasePath(url, entry.basePath);
  }
  if (entry.baseUrl === undefined) {
    return new RefusedUrl(
      `the credentials hold none of ${JSON.stringify(entry.baseUrlProperties)}, and the provider entry has no baseUrl`,
    );
  }
  let text = entry.baseUrl;
  for (const match of entry.baseUrl.matchAll(/\{([A-Za-z0-9_.-]+)\}/g)) {
    const name = match[1]!;
    const raw = Object.hasOwn(properties, name) ? properties[name] : undefined;
    // Text after the placeholder up to the path (`.myshopify.com`): a value that already ends with it is a
    // full host, and only its first label is used.
    const rest = entry.baseUrl.slice((match.index ?? 0) + match[0].length).split('/')[0] ?? '';
    let label = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
    label = label.replace(/^https:\/\//, '').replace(/\/+$/, '');
    if (rest && label.endsWith(rest.toLowerCase())) label = label.slice(0, -rest.length);
    if (!LABEL.test(label)) {
      return new RefusedUrl(
        `the credentials' ${JSON.stringify(name)} is missing or not one DNS label, so the provider's base URL cannot be built`,
      );
    }
    text = text.replace(match[0], label);
  }
  const url = parseBase(text);
  if (!url || !isAllowedOrigin(entry, url)) {
    return new RefusedUrl("the provider entry's baseUrl is not within its own origins or hostSuffixes");
  }
  return url;
}

function parseBase(text: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
  if (DOT_SEGMENT.test(url.pathname) || /%2f|%5c/i.test(url.pathname)) return undefined;
  return url;
}

function withBasePath(url: URL, basePath: string): URL {
  if (basePath === '') return url;
  const copy = new URL(url.href);
  copy.pathname = `${copy.pathname.replace(/\/+$/, '')}${basePath}`;
  return copy;
}

/**
 * Checks a caller's `path` (or absolute URL) without any credentials: the syntax rules that hold whatever
 * the base turns out to be. Refused: control characters, backslashes, `//` at the start (a host), `#`, and dot
 * segments raw or percent-encoded (they would climb out of the base path). An absolute URL must be allowed
 * for the provider.
 */
export function checkTarget(entry: ResolvedProviderEntry, input: string): RefusedUrl | undefined {
  if (typeof input !== 'string' || input.length === 0 || input.length > 8192) {
    return new RefusedUrl('path must be a non-empty string of at most 8192 characters');
  }
  if (CONTROL.test(input) || input.includes('\\')) {
    return new RefusedUrl('path must not contain control characters or backslashes');
  }
  if (SCHEME.test(input)) {
    const url = parseAbsolute(input);
    if (!url || !isAllowedOrigin(entry, url)) {
      return new RefusedUrl('an absolute URL is accepted only when its origin is allowed for this provider');
    }
    return undefined;
  }
  if (input.startsWith('//')) return new RefusedUrl('path must not start with "//" (that names a host)');
  if (input.includes('#')) return new RefusedUrl('path must not contain a fragment ("#")');
  const query = input.indexOf('?');
  const pathPart = query === -1 ? input : input.slice(0, query);
  if (DOT_SEGMENT.test(pathPart)) {
    return new RefusedUrl('path must not contain "." or ".." segments, raw or percent-encoded');
  }
  return undefined;
}

function parseAbsolute(input: string): URL | undefined {
  try {
    const url = new URL(input);
    return url.hash === '' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The URL a call goes to: `input` (already passed `checkTarget`) below `base`, or the absolute URL itself,
 * with `query` appended. Checked once more after building: the origin must be allowed and, for a relative
 * path, stay the base's origin under the base's path.
 */
export function buildTarget(
  entry: ResolvedProviderEntry,
  base: URL,
  input: string,
  query: HotglueProviderQuery | undefined,
): URL | RefusedUrl {
  let url: URL;
  if (SCHEME.test(input)) {
    url = new URL(input);
  } else {
    const q = input.indexOf('?');
    const path = q === -1 ? input : input.slice(0, q);
    const basePath = base.pathname.replace(/\/+$/, '');
    url = new URL(base.origin);
    url.pathname = `${basePath}${path.startsWith('/') ? '' : '/'}${path}`;
    if (q !== -1) url.search = input.slice(q);
    if (
      url.origin !== base.origin ||
      !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))
    ) {
      return new RefusedUrl('path leaves the provider base URL');
    }
  }
  if (!isAllowedOrigin(entry, url)) {
    return new RefusedUrl('the URL is not within the origins allowed for this provider');
  }
  if (query) appendQuery(url, query);
  return url;
}

function appendQuery(url: URL, query: HotglueProviderQuery): void {
  if (typeof query !== 'object' || query === null) return;
  for (const name of Object.keys(query)) {
    const value = query[name];
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
  }
}

/** `origin + path` with query values of secret-looking names redacted: what errors and spans may show. */
export function redactedUrl(url: URL): string {
  if (url.search === '') return `${url.origin}${url.pathname}`;
  const params = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    params.append(name, isSecretLookingName(name) ? '[REDACTED]' : value);
  }
  return `${url.origin}${url.pathname}?${params.toString().replace(/%5BREDACTED%5D/g, '[REDACTED]')}`;
}
