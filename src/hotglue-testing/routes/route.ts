import type { EmulatedCredentials } from '../emulated-credentials.js';
import type { JsonObject } from '../emulator-options.js';
import type { EmulatorStore, JobRecord } from '../emulator-store.js';
import type { DiscoverRun } from '../webhooks.js';

/** Which API key a route accepts (backend key, or the public key the widget uses; see docs/hotglue-reference.md). */
export type RouteAccess =
  /** "W": the public key too (the widget calls it). */
  | 'public'
  /** "B": only the secret (environment) key. */
  | 'secret';

/**
 * Whether hotglue's widget sends its token on this route (see docs/hotglue-reference.md):
 * - `required`: it does (the `T` = Y rows); with `requireJwt: 'widget'` a public-key call needs a valid token.
 * - `optional`: it does not. With `requireJwt: true` a public-key call still needs one when the route names a
 *   tenant (see `needsToken` in auth.ts); a token sent anyway is always verified.
 */
export type RouteToken = 'required' | 'optional';

/** Decoded path parameters. `env` has already been compared with the emulator's env id. */
export interface RouteParams {
  readonly flow?: string;
  readonly tenant?: string;
  readonly connectorId?: string;
  readonly stream?: string;
  readonly tap?: string;
}

/** Everything a handler may use; handlers are plain functions of it. */
export interface RouteContext {
  readonly params: RouteParams;
  /** First value of each query parameter (`token` included: handlers never echo it). */
  readonly query: Readonly<Record<string, string>>;
  /** The parsed JSON body (a `MultipartBody` for `multipart/form-data`), or undefined when none was sent. */
  readonly body: unknown;
  /** True for the secret key or a public key with a valid token for this tenant: may see `config`. */
  readonly privileged: boolean;
  readonly store: EmulatorStore;
  readonly services: RouteServices;
}

/** Things handlers need beyond the store. */
export interface RouteServices {
  readonly envId: string;
  /** The emulator's base URL, e.g. for magic links. */
  readonly baseUrl: string;
  now(): number;
  readonly jobStepMs: number;
  /** Called after a job was stored, so the webhook notifier sends `JOB_CREATED`. */
  jobCreated(record: JobRecord): void;
  /** Called when the discover route starts a discover, so the notifier sends the discover webhooks. */
  discoverStarted(run: DiscoverRun): void;
  /** Revocation, expiry and refresh of the tenants' fake OAuth credentials. */
  readonly credentials: EmulatedCredentials;
}

/** One row of the route table. */
export interface RouteDefinition {
  readonly method: string;
  /** Segments; `:env`, `:flow`, `:tenant`, `:connectorId`, `:stream` are parameters, the rest literals. */
  readonly path: string;
  readonly access: RouteAccess;
  readonly token: RouteToken;
  /** Where the tenant a token must name comes from: the `:tenant` segment (default) or the `user_id` query. */
  readonly tenantFrom?: 'path' | 'user_id';
  readonly handler: (ctx: RouteContext) => unknown;
}

/** A JSON object or undefined; handlers use it to read bodies tolerantly. */
export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** `'true'` (any case) or `'1'` as a boolean query flag. */
export function flag(value: string | undefined): boolean {
  return value !== undefined && (value.toLowerCase() === 'true' || value === '1');
}
