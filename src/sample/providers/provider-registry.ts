/**
 * What the sample's `GET /hotglue/sources/:tap/profile` asks a provider and what of the answer it may return.
 * Where the call may go, and how the token is sent, is not decided here: the library's provider registry
 * (`HotglueClient.provider()`, the module option `providers`) owns that SSRF boundary.
 */
export interface ProfileView {
  /** Path of the "who am I" call, below the provider's base URL, e.g. `/services/oauth2/userinfo`. */
  readonly profilePath: string;
  /** Top-level fields of the provider's answer that may leave the server (allow-list). */
  readonly fields: readonly string[];
}

/** The profile view of a tap, or undefined when the sample has none for it. */
export type ProfileViews = (tap: string) => ProfileView | undefined;

/** Views over a fixed map; only own keys count (`__proto__` or `constructor` are not taps). */
export function staticProfiles(map: Readonly<Record<string, ProfileView>>): ProfileViews {
  return (tap) => (Object.hasOwn(map, tap) ? map[tap] : undefined);
}

/** The views the sample knows outside local mode: Salesforce's and HubSpot's own "who am I" calls. */
export const DEFAULT_PROFILES: ProfileViews = staticProfiles({
  salesforce: {
    profilePath: '/services/oauth2/userinfo',
    fields: ['user_id', 'organization_id', 'name', 'preferred_username', 'locale', 'zoneinfo'],
  },
  hubspot: {
    profilePath: '/account-info/v3/details',
    fields: ['portalId', 'accountType', 'timeZone', 'companyCurrency', 'uiDomain', 'dataHostingLocation'],
  },
});

/** The fields of the emulated provider's profile (`HotglueEmulator`'s `/_provider/{tap}/me`). */
export const EMULATED_PROFILE_FIELDS = ['provider', 'id', 'displayName', 'organization'] as const;

/** Local mode: every tap is the emulator's provider API, whose profile is `GET /me`. */
export const EMULATED_PROFILES: ProfileViews = () => ({
  profilePath: '/me',
  fields: EMULATED_PROFILE_FIELDS,
});
