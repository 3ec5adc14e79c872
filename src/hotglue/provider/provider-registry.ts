import { closedObject, readonlyArray, readonlyObject, v } from '../internal/option-schema.js';

/**
 * Where one provider's API may be called with a tenant's token, and how the token is sent: an entry of the
 * registry `HotglueClient.provider()` reads, keyed by hotglue's tap / connector id (`salesforce`, `hubspot`...).
 * Built-in entries are listed in docs/providers.md; the module option `providers` adds or replaces entries.
 *
 * The base URL of a call is, in order: the first of `baseUrlProperties` present in the tenant's credentials
 * (`HotglueCredentials.properties`, e.g. Salesforce's `instance_url`), else `baseUrl`. Either way it is used
 * only when its origin is allowed by `origins` or `hostSuffixes`; so a tenant who can edit its own linked
 * config cannot point the backend, token attached, at another host.
 */
export interface HotglueProviderEntry {
  /**
   * Base URL when no `baseUrlProperties` value is present; may hold `{property}` placeholders filled with one
   * DNS label from the credentials' properties, e.g. `https://{shop}.myshopify.com/admin/api/2025-01`.
   */
  readonly baseUrl?: string;
  /** Credential properties holding the base URL (a URL, or a bare host), first present wins, e.g. `['instance_url']`. */
  readonly baseUrlProperties?: readonly string[];
  /** Path appended to a base URL taken from `baseUrlProperties`, e.g. `/services/data/v62.0`. */
  readonly basePath?: string;
  /**
   * Exact origins allowed (`https://api.hubapi.com`). The only way to allow plain http, a non-default port or
   * an IP literal (e.g. a loopback test double): list that exact origin.
   */
  readonly origins?: readonly string[];
  /** Host suffixes allowed over https on the default port, e.g. `.my.salesforce.com` (any subdomain, never the bare suffix). */
  readonly hostSuffixes?: readonly string[];
  /** How the token is sent. Default `{ header: 'authorization', scheme: 'Bearer' }`. */
  readonly auth?: {
    /** Header name, default `authorization`. */
    readonly header?: string;
    /** Prefix before the token (`Bearer`, `Zoho-oauthtoken`); `''` sends the bare token. Default `Bearer`. */
    readonly scheme?: string;
  };
}

/** An entry after validation: origins normalised, auth filled in. */
export interface ResolvedProviderEntry {
  readonly id: string;
  readonly baseUrl?: string;
  readonly baseUrlProperties: readonly string[];
  readonly basePath: string;
  readonly origins: ReadonlySet<string>;
  readonly hostSuffixes: readonly string[];
  readonly authHeader: string;
  readonly authPrefix: string;
  /** Every credential property the base URL may be read from (`baseUrlProperties` and `{placeholders}`). */
  readonly propertyNames: readonly string[];
}

/**
 * The built-in registry. Hosts and auth are taken from each provider's own API documentation (cited per
 * entry in docs/providers.md). Keys are the tap ids hotglue's widget and docs use for these connectors where
 * we found them (`salesforce`, `hubspot`...); an environment whose tap or connector id differs adds an
 * entry under its own id with the module option `providers`.
 */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, HotglueProviderEntry>> = Object.freeze({
  salesforce: {
    baseUrlProperties: ['instance_url'],
    baseUrl: 'https://login.salesforce.com',
    origins: ['https://login.salesforce.com', 'https://test.salesforce.com'],
    hostSuffixes: ['.my.salesforce.com', '.salesforce.com'],
  },
  hubspot: { baseUrl: 'https://api.hubapi.com', origins: ['https://api.hubapi.com'] },
  pipedrive: {
    baseUrlProperties: ['api_domain'],
    baseUrl: 'https://api.pipedrive.com',
    origins: ['https://api.pipedrive.com'],
    hostSuffixes: ['.pipedrive.com'],
  },
  quickbooks: {
    baseUrl: 'https://quickbooks.api.intuit.com',
    origins: ['https://quickbooks.api.intuit.com', 'https://sandbox-quickbooks.api.intuit.com'],
  },
  xero: { baseUrl: 'https://api.xero.com', origins: ['https://api.xero.com'] },
  shopify: {
    baseUrl: 'https://{shop}.myshopify.com',
    hostSuffixes: ['.myshopify.com'],
    auth: { header: 'x-shopify-access-token', scheme: '' },
  },
  'zoho-crm': {
    baseUrlProperties: ['api_domain'],
    baseUrl: 'https://www.zohoapis.com',
    hostSuffixes: [
      '.zohoapis.com',
      '.zohoapis.eu',
      '.zohoapis.in',
      '.zohoapis.com.au',
      '.zohoapis.jp',
      '.zohoapis.com.cn',
      '.zohoapis.ca',
      '.zohoapis.sa',
    ],
    auth: { scheme: 'Zoho-oauthtoken' },
  },
  dynamics: {
    baseUrlProperties: ['instance_url', 'org_url', 'api_url'],
    hostSuffixes: ['.dynamics.com'],
  },
  'microsoft-graph': { baseUrl: 'https://graph.microsoft.com', origins: ['https://graph.microsoft.com'] },
  'google-sheets': { baseUrl: 'https://sheets.googleapis.com', origins: ['https://sheets.googleapis.com'] },
  intercom: {
    baseUrl: 'https://api.intercom.io',
    origins: ['https://api.intercom.io', 'https://api.eu.intercom.io', 'https://api.au.intercom.io'],
  },
});

/** Ids: what hotglue's tap and connector ids look like. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** An HTTP header name (RFC 9110 token). */
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
/** Headers the token may never be sent in: they mean something else to every server and proxy. */
const FORBIDDEN_AUTH_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'cookie',
]);
/** A host suffix: a leading dot and at least two DNS labels. */
const SUFFIX = /^\.(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** What `new URL(origin).origin` gives back for an origin that is exactly an origin (nothing else). */
function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an origin such as "https://api.example.com".';
  }
  if (url.origin === 'null' || `${url.origin}` !== value.replace(/\/$/, '')) {
    return 'must be exactly an origin (scheme, host and optional port; no path, user, query or fragment), lower-case.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'must use https (or http for a test double).';
  return undefined;
}

const entrySchema = readonlyObject(
  closedObject(
    {
      baseUrl: v.optional(
        v.pipe(
          v.string('must be a URL string such as "https://api.example.com".'),
          v.check(
            (url) => /^https?:\/\//i.test(url) && url.length <= 2048,
            'must be an absolute http(s) URL of at most 2048 characters.',
          ),
        ),
      ),
      baseUrlProperties: v.optional(
        v.pipe(
          readonlyArray(
            v.pipe(
              v.string('must be a config field name.'),
              v.regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be a config field name.'),
            ),
            'must be an array of credential property names, e.g. ["instance_url"].',
          ),
          v.maxLength(10, 'must name at most 10 properties.'),
        ),
      ),
      basePath: v.optional(
        v.pipe(
          v.string('must be a path string starting with "/".'),
          v.regex(
            /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/,
            'must start with "/" and hold only URL path characters.',
          ),
          v.check(
            (path) => !/(^|\/)\.\.?(\/|$)|%2e|%2f|%5c|\/\//i.test(path),
            'must not hold dot segments, "//" or encoded dots and slashes.',
          ),
        ),
      ),
      origins: v.optional(
        v.pipe(
          readonlyArray(
            v.pipe(
              v.string('must be an origin string.'),
              v.rawCheck(({ dataset, addIssue }) => {
                const problem = dataset.typed ? originProblem(dataset.value) : undefined;
                if (problem) addIssue({ message: problem });
              }),
            ),
            'must be an array of origins, e.g. ["https://api.example.com"].',
          ),
          v.maxLength(50, 'must list at most 50 origins.'),
        ),
      ),
      hostSuffixes: v.optional(
        v.pipe(
          readonlyArray(
            v.pipe(
              v.string('must be a host suffix string.'),
              v.regex(
                SUFFIX,
                'must be a lower-case DNS suffix starting with "." with at least two labels, e.g. ".example.com".',
              ),
            ),
            'must be an array of host suffixes, e.g. [".example.com"].',
          ),
          v.maxLength(50, 'must list at most 50 host suffixes.'),
        ),
      ),
      auth: v.optional(
        readonlyObject(
          closedObject(
            {
              header: v.optional(
                v.pipe(
                  v.string('must be an HTTP header name.'),
                  v.regex(HEADER, 'must be an HTTP header name (letters, digits, "-").'),
                  v.check(
                    (header) => !FORBIDDEN_AUTH_HEADERS.has(header.toLowerCase()),
                    'must not be host, content-length, transfer-encoding, connection or cookie.',
                  ),
                ),
              ),
              scheme: v.optional(
                v.pipe(
                  v.string('must be a string such as "Bearer", or "" for the bare token.'),
                  v.regex(/^[A-Za-z0-9._~+/-]{0,64}$/, 'must be one word such as "Bearer", or "".'),
                ),
              ),
            },
            'must be an object such as { header: "authorization", scheme: "Bearer" }.',
          ),
        ),
      ),
    },
    'must be a provider entry object such as { baseUrl, origins, hostSuffixes, auth }.',
  ),
);

/**
 * valibot schema of the module option `providers`: a record of entries keyed by tap / connector id. Each
 * issue's path names the key (`providers.acme.origins.0: ...`). An entry must be able to produce a base URL.
 */
export const hotglueProvidersOptionSchema = v.optional(
  v.pipe(
    v.record(v.string(), entrySchema, 'must be an object keyed by tap or connector id.'),
    // Runs once every entry parsed: a broken entry reports its own fields first.
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      for (const [id, entry] of Object.entries(dataset.value)) {
        const path = [
          { type: 'object', origin: 'value', input: dataset.value, key: id, value: entry },
        ] as const;
        if (!ID.test(id)) {
          addIssue({
            path: [...path],
            message: 'is not a tap or connector id (letters, digits, ".", "_", "-"; at most 128).',
          });
          continue;
        }
        if (entry.baseUrl === undefined && !entry.baseUrlProperties?.length) {
          addIssue({
            path: [...path],
            message: 'needs baseUrl or baseUrlProperties: there is no other place to call.',
          });
        }
        if (!entry.origins?.length && !entry.hostSuffixes?.length) {
          addIssue({
            path: [...path],
            message: 'needs origins or hostSuffixes: with neither, every call would be refused.',
          });
        }
      }
    }),
  ),
);

/** Normalises one entry (already schema-valid). */
export function resolveProviderEntry(id: string, entry: HotglueProviderEntry): ResolvedProviderEntry {
  const scheme = entry.auth?.scheme ?? 'Bearer';
  return Object.freeze({
    id,
    baseUrl: entry.baseUrl,
    baseUrlProperties: Object.freeze([...(entry.baseUrlProperties ?? [])]),
    basePath: (entry.basePath ?? '').replace(/\/+$/, ''),
    origins: new Set((entry.origins ?? []).map((o) => new URL(o).origin)),
    hostSuffixes: Object.freeze([...(entry.hostSuffixes ?? [])]),
    authHeader: (entry.auth?.header ?? 'authorization').toLowerCase(),
    authPrefix: scheme === '' ? '' : `${scheme} `,
    propertyNames: Object.freeze([
      ...new Set([
        ...(entry.baseUrlProperties ?? []),
        ...[...(entry.baseUrl ?? '').matchAll(/\{([A-Za-z0-9_.-]+)\}/g)].map((m) => m[1]!),
      ]),
    ]),
  });
}

/** The registry: built-ins overlaid with the host's entries (an entry with a built-in's id replaces it). */
export function buildProviderRegistry(
  overrides: Readonly<Record<string, HotglueProviderEntry>> | undefined,
): ReadonlyMap<string, ResolvedProviderEntry> {
  const registry = new Map<string, ResolvedProviderEntry>();
  for (const [id, entry] of Object.entries(BUILT_IN_PROVIDERS))
    registry.set(id, resolveProviderEntry(id, entry));
  for (const [id, entry] of Object.entries(overrides ?? {})) {
    if (Object.hasOwn(overrides!, id)) registry.set(id, resolveProviderEntry(id, entry));
  }
  return registry;
}
