import type { HotglueCredentials } from '../../hotglue/index.js';
import { type ProfileUrlProblem, profileUrl } from './profile-url.js';
import type { ProviderAnswer } from './provider-fetch.js';
import type { ProviderApi } from './provider-registry.js';

/** What `loadSourceProfile` needs; the controller passes the client, the registry entry and the fetch. */
export interface SourceProfileDeps {
  readonly api: ProviderApi;
  /** The tenant's credentials for the tap; `fresh` skips the cache. */
  credentials(fresh: boolean): Promise<HotglueCredentials>;
  /** Forgets the cached credentials (the provider refused them). */
  evict(): void;
  fetch(url: URL, accessToken: string): Promise<ProviderAnswer>;
}

/** The result, for the controller to map onto statuses. */
export type SourceProfileOutcome =
  | { readonly kind: 'ok'; readonly profile: Record<string, unknown> }
  | { readonly kind: 'url'; readonly problem: ProfileUrlProblem }
  | { readonly kind: 'reconnect' }
  | { readonly kind: 'provider-failed'; readonly detail: string };

/**
 * Calls the provider's "who am I" API with the tenant's access token and keeps only the allow-listed fields
 * of its answer. When the provider refuses the token (401/403) the cached credentials may be stale (rotated
 * or revoked since they were cached): they are evicted and fetched fresh once; refused again, the tenant
 * must reconnect. Credential failures (`HotglueCredentialsError`) propagate to the caller.
 */
export async function loadSourceProfile(deps: SourceProfileDeps): Promise<SourceProfileOutcome> {
  for (const fresh of [false, true]) {
    const credentials = await deps.credentials(fresh);
    const target = profileUrl(deps.api, credentials.properties);
    if ('problem' in target) return { kind: 'url', problem: target.problem };
    const answer = await deps.fetch(target.url, credentials.accessToken);
    if (answer.kind === 'failure') return { kind: 'provider-failed', detail: answer.reason };
    if (answer.status === 401 || answer.status === 403) {
      deps.evict();
      continue;
    }
    if (answer.status !== 200 || !isObject(answer.json)) {
      return { kind: 'provider-failed', detail: `status ${answer.status}` };
    }
    return { kind: 'ok', profile: project(answer.json, deps.api.fields, credentials) };
  }
  return { kind: 'reconnect' };
}

function isObject(value: unknown): value is Record<string, unknown> {
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
