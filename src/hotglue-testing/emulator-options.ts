import type { JsonWebKey, KeyObject } from 'node:crypto';

/** A JSON object as the emulator stores and returns it; unknown fields are always kept. */
export type JsonObject = Record<string, unknown>;

/** A flow as `GET /{env}/flows/supported` lists it. `version: 2` marks a V2 (connector) flow. */
export interface EmulatorFlow extends JsonObject {
  /** Flow id, e.g. `l8odS2mce`. */
  id: string;
  name: string;
  description?: string;
  /** 1 (source/target flow, default) or 2 (connector flow). */
  version?: number;
}

/** A tenant known to the environment; `config` is what `GET /tenant/{env}/{tenant}/config` returns. */
export interface EmulatorTenant extends JsonObject {
  id: string;
  /** The tenant-config object; without it the config route answers 404 "no config for the tenant". */
  config?: JsonObject;
}

/** A linked source to seed: `source` is stored as if `POST linkedSources` had sent `{ source }`. */
export interface EmulatorLinkedSourceSeed {
  /** Default: the emulator's default (V1) flow. */
  flowId?: string;
  tenantId: string;
  /** Must have `tap`; `config` holds the tenant's credentials. Unknown fields are kept. */
  source: JsonObject & { tap: string; config?: JsonObject };
}

/** A linked target to seed, as if `POST linkedTargets` had sent `{ target }`. */
export interface EmulatorLinkedTargetSeed {
  /** Default: the emulator's default (V1) flow. */
  flowId?: string;
  tenantId: string;
  /** Must have `target` (its name, e.g. `target-postgres`). Unknown fields are kept. */
  target: JsonObject & { target: string; config?: JsonObject };
}

/** A linked connector to seed, as if `POST /v2/.../linkedConnectors` had sent `{ connector }`. */
export interface EmulatorLinkedConnectorSeed {
  /** Default: the emulator's default V2 flow. */
  flowId?: string;
  tenantId: string;
  /** Must have `id`; `config` may hold `access_token` / `refresh_token` (returned by `accesstoken`). */
  connector: JsonObject & { id: string; config?: JsonObject };
}

/** Initial state of an emulator. Every list replaces the built-in default when given. */
export interface HotglueEmulatorSeed {
  /**
   * Flows of the environment. Default: one V1 flow (`emuFlowV1`) and one V2 flow (`emuFlowV2`). The first
   * flow whose `version` is not 2 becomes `defaultFlowId`; the first with `version: 2` `defaultV2FlowId`.
   */
  flows?: EmulatorFlow[];
  /**
   * Source settings every flow supports (`supportedSources`). Default: salesforce and hubspot (OAuth,
   * through the emulator's consent page), pipedrive and csv (API key, with a connect form). A `tap_url`
   * (or a connector's `auth_url`) starting with `/` is answered relative to the emulator's URL.
   */
  supportedSources?: JsonObject[];
  /** Target settings every flow supports (`supportedTargets`). Default: target-postgres, target-csv. */
  supportedTargets?: JsonObject[];
  /** V2 connectors every flow supports; also the environment's `availableConnectors`. */
  supportedConnectors?: JsonObject[];
  /**
   * The widget preferences `GET /{env}/preferences` answers. Default: a blue `primaryColor`, a system
   * `fontFamily`, and jobs, schedules, job history and field maps enabled. Keep a `primaryColor` in it:
   * without one the real widget renders nothing.
   */
  preferences?: JsonObject;
  /** Tenants with optional config. Tenants also come into existence when something is linked for them. */
  tenants?: EmulatorTenant[];
  linkedSources?: EmulatorLinkedSourceSeed[];
  linkedTargets?: EmulatorLinkedTargetSeed[];
  linkedConnectors?: EmulatorLinkedConnectorSeed[];
}

/**
 * hotglue's three webhook subscriptions (https://docs.hotglue.com/environment-settings/webhooks), named as
 * `@OnHotglueEvent` names them: `job`, `discover`, `connection`. `jobs`, the emulator's older name, is read
 * as `job`.
 */
export type EmulatorWebhookSubscription = 'job' | 'discover' | 'connection' | 'jobs';

/** Where the emulator POSTs job, discover and connection events (see docs/hotglue-reference.md). */
export interface EmulatorWebhookOptions {
  /** Target URL (http or https). */
  url: string;
  /** When set, each POST carries `X-Hub-Signature`: hex HMAC-SHA1 of the raw body with this secret. */
  secret?: string;
  /** Which subscriptions are sent. Default: all three, as hotglue sends to a configured URL. */
  subscriptions?: EmulatorWebhookSubscription[];
}

/** One subscription's receiver, as hotglue's dashboard sets it: a URL and an optional secret. */
export interface EmulatorWebhookTarget {
  /** Target URL (http or https). */
  url: string;
  /** When set, each POST carries `X-Hub-Signature`: hex HMAC-SHA1 of the raw body with this secret. */
  secret?: string;
}

/**
 * Each subscription with its own URL and secret, as hotglue's dashboard has them
 * (https://docs.hotglue.com/environment-settings/webhooks). A subscription left out is not sent.
 */
export interface EmulatorWebhookSubscriptionTargets {
  /** Job lifecycle events (the Job object, one POST per status change). */
  job?: EmulatorWebhookTarget;
  /** @deprecated The older name of `job`. */
  jobs?: EmulatorWebhookTarget;
  /** `DISCOVER_STARTED` / `DISCOVER_SUCCESS` / `DISCOVER_FAILED`. */
  discover?: EmulatorWebhookTarget;
  /** Linked source / target / connector created, updated or removed. */
  connection?: EmulatorWebhookTarget;
}

/**
 * Where webhooks go: one `{ url, secret }` for all three subscriptions, or one target per subscription
 * (`{ job: { url, secret }, connection: { url, secret } }`).
 */
export type EmulatorWebhookSettings = EmulatorWebhookOptions | EmulatorWebhookSubscriptionTargets;

/**
 * Which public-key calls need a tenant token (`requireJwt`). hotglue publishes no list of the routes its
 * setting covers, so the emulator offers both readings:
 * - `true` (default): every route that names a tenant (path `{tenant}`, or `user_id` for `flows/linked`)
 *   refuses a public-key call without a valid token for that tenant: 401 `{ Code, Message }`, and 403 for a
 *   token issued to another tenant. The strict reading of the docs' sentence; `HotglueClient` in tenant
 *   mode passes it.
 * - `'widget'`: only the 11 routes on which hotglue's own widget (`@hotglue/widget` 1.4.63) sends its token.
 *   The widget calls jobs, schedules, discover, files, mapping and more with the public key alone, and the
 *   docs recommend the setting together with the widget, so an environment with it on must accept those
 *   calls [inference]. Use it to run hotglue's real widget (the sample's local mode does).
 * - `false`: no token needed anywhere.
 *
 * In every mode a token that is sent is verified (401 when expired or badly signed, 403 for another tenant).
 */
export type EmulatorRequireJwt = boolean | 'widget';

/** Options of `HotglueEmulator`. Every field is optional. */
export interface HotglueEmulatorOptions {
  /** Environment id; it appears in every path. Default `dev.emulator.hotglue.xyz` (dots on purpose). */
  envId?: string;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /**
   * Extra `Host` names the emulator answers (DNS-rebinding defence, docs/security.md). On a loopback listener
   * (the default) a request whose `Host` is not `127.0.0.1`, `localhost` or `[::1]` with the emulator's port
   * is refused with 421, and a consent decision whose `Origin` is not the emulator's own with 403. List the
   * names a proxy in front of it uses (`'emulator.dev.internal'`, `'proxy.local:8443'`: without a port any
   * port matches); `'*'` answers any `Host`. On a non-loopback listener (e.g. `0.0.0.0`) the check is off
   * unless this lists names. The bin reads it from `EMULATOR_ALLOWED_HOSTS` (comma-separated).
   */
  allowedHosts?: string[];
  /** TCP port. Default 0 (a free port; read it from `url`). */
  port?: number;
  /** The public (widget) API key. Default: a random `pk_emu_...`. */
  publicApiKey?: string;
  /** The secret (environment) API key. Default: a random `sk_emu_...`. */
  secretApiKey?: string;
  /**
   * Keys that verify tenant JWTs: `KeyObject` (public or private RSA), SPKI / PKCS#1 PEM, or an RSA JWK.
   * Without any, every token is refused, as hotglue refuses tokens signed by an unknown key.
   */
  jwtPublicKeys?: Array<KeyObject | string | JsonWebKey>;
  /**
   * hotglue's "Require JWT to authenticate tenant requests" ("the Public API Key alone cannot be used to
   * perform tenant-specific tasks", https://docs.hotglue.com/api-reference/authentication). See
   * `EmulatorRequireJwt`. Default `true`.
   */
  requireJwt?: EmulatorRequireJwt;
  /** Initial flows, catalogs, tenants and links. */
  seed?: HotglueEmulatorSeed;
  /** Epoch milliseconds. Default `Date.now`. Token expiry and job progress read it; give a fake to step time. */
  clock?: () => number;
  /**
   * How `accesstoken` answers `expires_in`: `'seconds'` (default) as seconds left, as OAuth defines it;
   * `'epoch'` as the absolute expiry in epoch seconds, as hotglue's Singer SDK stores it in tap configs. Lets a
   * test check that a client reads both right.
   */
  expiresInForm?: 'seconds' | 'epoch';
  /** Clock time between two job statuses, in ms. Default 1000: a job completes 7 s after it was created. */
  jobStepMs?: number;
  /**
   * Job, discover and connection webhooks: `{ url, secret }` for all three, or one `{ url, secret }` per
   * subscription (`{ jobs, discover, connection }`); also settable after start with `setWebhook`.
   */
  webhook?: EmulatorWebhookSettings;
  /** Receives one line per request and per webhook delivery. Default: silent. Lines never hold secrets. */
  logger?: (line: string) => void;
  /** Most entries `requests` keeps; the oldest are dropped beyond it. Default 10,000. */
  requestLogLimit?: number;
  /**
   * Most request-body bytes held at once across all requests (one body may be up to 10 MB). A body that
   * would pass it is drained unkept and answered 503 (retry later). Default 64 MiB.
   */
  maxInFlightBodyBytes?: number;
}

/** Default environment id: looks like hotglue's, dots included, so clients must not split on them. */
export const DEFAULT_EMULATOR_ENV_ID = 'dev.emulator.hotglue.xyz';
/** Default clock-time between job statuses. */
export const DEFAULT_JOB_STEP_MS = 1000;
/** Default cap of the request log. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;
/** Default cap of request-body bytes held at once. */
export const DEFAULT_MAX_IN_FLIGHT_BODY_BYTES = 64 * 1024 * 1024;
