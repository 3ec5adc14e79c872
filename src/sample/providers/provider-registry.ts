/**
 * Where the sample may call a provider's API with a tenant's access token, per tap. This is the SSRF
 * boundary of `GET /hotglue/sources/:tap/profile`: the base URL comes from the tenant's credentials
 * (`instance_url`, written by the provider during OAuth and stored by hotglue) or from here, and it is used
 * only when its origin is allowed here. A tenant (or anyone who can edit a linked source's config) therefore
 * cannot point the backend, with a bearer token attached, at an internal host or an arbitrary site.
 */
export interface ProviderApi {
  /** Base URL when the credentials carry no `instance_url`; must itself be allowed below. */
  readonly baseUrl?: string;
  /** Exact origins allowed (scheme, host and port), e.g. `https://api.hubapi.com`. */
  readonly origins?: readonly string[];
  /**
   * Host suffixes allowed over https on the default port, e.g. `.my.salesforce.com` (any subdomain, never
   * the bare suffix, never an IP literal).
   */
  readonly hostSuffixes?: readonly string[];
  /** Path of the "who am I" call, appended to the base URL's path, e.g. `/services/oauth2/userinfo`. */
  readonly profilePath: string;
  /** Top-level fields of the provider's answer that may leave the server (allow-list). */
  readonly fields: readonly string[];
}

/** The provider API of a tap, or undefined when the sample has none configured for it. */
export type ProviderRegistry = (tap: string) => ProviderApi | undefined;

/** A registry over a fixed map; only own keys count (`__proto__` or `constructor` are not taps). */
export function staticProviders(map: Readonly<Record<string, ProviderApi>>): ProviderRegistry {
  return (tap) => (Object.hasOwn(map, tap) ? map[tap] : undefined);
}

/**
 * The providers the sample knows outside local mode: examples of the two shapes. Salesforce answers on the
 * tenant's own instance (`instance_url`, any `*.my.salesforce.com`), HubSpot on one fixed host.
 */
export const DEFAULT_PROVIDERS: ProviderRegistry = staticProviders({
  salesforce: {
    baseUrl: 'https://login.salesforce.com',
    origins: ['https://login.salesforce.com', 'https://test.salesforce.com'],
    hostSuffixes: ['.my.salesforce.com'],
    profilePath: '/services/oauth2/userinfo',
    fields: ['user_id', 'organization_id', 'name', 'preferred_username', 'locale', 'zoneinfo'],
  },
  hubspot: {
    baseUrl: 'https://api.hubapi.com',
    origins: ['https://api.hubapi.com'],
    profilePath: '/account-info/v3/details',
    fields: ['portalId', 'accountType', 'timeZone', 'companyCurrency', 'uiDomain', 'dataHostingLocation'],
  },
});

/** The fields of the emulated provider's profile (`HotglueEmulator`'s `/_provider/{tap}/me`). */
export const EMULATED_PROFILE_FIELDS = ['provider', 'id', 'displayName', 'organization'] as const;

/**
 * Local mode: every tap is served by the emulator's provider API, at `providerUrl(tap)`; only the
 * emulator's own origin is allowed.
 */
export function emulatedProviders(
  emulatorOrigin: string,
  providerUrl: (tap: string) => string,
): ProviderRegistry {
  return (tap) => ({
    baseUrl: providerUrl(tap),
    origins: [emulatorOrigin],
    profilePath: '/me',
    fields: EMULATED_PROFILE_FIELDS,
  });
}
