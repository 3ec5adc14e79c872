import type { ModuleMetadata } from '@nestjs/common';
import type { HotglueModuleOptions, HotglueRedisClient, HotglueWebhookSecrets } from '../hotglue/index.js';
import type { ProfileViews } from './providers/provider-registry.js';

/** What the demo page needs to call the (emulated) hotglue API the way hotglue's widget does. */
export interface DemoWidgetSettings {
  readonly apiUrl: string;
  readonly envId: string;
  readonly flowId: string;
  /** The public API key: public by design (the widget ships it to every browser). */
  readonly publicApiKey: string;
}

/** hotglue's real widget script in local mode: where the page loads it, or why it is missing. */
export type DemoWidgetScript =
  | { readonly available: true; readonly url: string; readonly path: string }
  | { readonly available: false; readonly reason: string; readonly hint: string };

/** Local-mode extras: the demo user's session endpoint and the static demo page. */
export interface SampleDemoOptions {
  /** Bearer token of the demo user (tenant `demo`), handed out by `POST /demo/session`. */
  readonly bearer: string;
  readonly widget: DemoWidgetSettings;
  /** hotglue's widget (`dist/hotglue.js`), served at `url` when available. Absent: the page has none. */
  readonly widgetScript?: DemoWidgetScript;
}

/** Per-user rate limit of the hotglue routes. */
export interface SampleRateLimit {
  /** Requests allowed per window and user. */
  readonly limit: number;
  /** Window length in milliseconds. */
  readonly ttlMs: number;
}

/** Options of `SampleAppModule.forRoot` and `createSampleApp`. */
/** The scheduled tenant-sync job (`TenantSyncJob`); present = scheduled. Every field is optional. */
export interface SampleJobOptions {
  /** The hotglue environment whose client the job uses (`HotglueModule.forRoot({ name })`). Default: unnamed. */
  readonly environment?: string;
  /** Tenants synced at once. Default 4. */
  readonly concurrency?: number;
  /** First wait between job-status polls, ms. Default 2000. */
  readonly pollIntervalMs?: number;
  /** Longest wait between polls, ms. Default 15000. */
  readonly maxPollIntervalMs?: number;
  /** Longest wait for one job, ms. Default 30 minutes. */
  readonly jobTimeoutMs?: number;
}

export interface SampleAppOptions {
  /** HS256 secret of the auth stand-in (`APP_AUTH_SECRET`). */
  readonly authSecret: string;
  /** hotglue options; when absent they come from `HOTGLUE_*` variables through `ConfigModule`. */
  readonly hotglue?: HotglueModuleOptions;
  /** Default: 30 requests per minute and user. */
  readonly rateLimit?: SampleRateLimit;
  /** Origins allowed by CORS (`APP_CORS_ORIGINS`); empty or absent: CORS stays off. */
  readonly corsOrigins?: readonly string[];
  /** Serve OpenAPI at `/docs` and `/docs-json`. Default: off (`npm start` turns it on in local mode). */
  readonly docs?: boolean;
  /**
   * What `GET /hotglue/sources/:tap/profile` asks each provider and which fields of the answer it returns.
   * Default: `DEFAULT_PROFILES` (Salesforce, HubSpot); local mode: the emulator's `/me` for every tap. Where
   * a call may go is the library's provider registry (`hotglue.providers`), not this.
   */
  readonly profiles?: ProfileViews;
  /** Local mode only: the demo session endpoint and the demo page. */
  readonly demo?: SampleDemoOptions;
  /**
   * hotglue's webhook secret (`HOTGLUE_WEBHOOK_SECRET`; a per-run secret in local mode). Absent or blank:
   * `POST /hotglue/webhooks` refuses every delivery with 401 and boot logs one warning.
   */
  readonly webhookSecret?: string;
  /**
   * One secret per webhook subscription (`HOTGLUE_WEBHOOK_SECRET_JOB` / `_DISCOVER` / `_CONNECTION`), each
   * overriding `webhookSecret` for its subscription.
   */
  readonly webhookSecrets?: HotglueWebhookSecrets;
  /**
   * `HOTGLUE_WEBHOOK_QUEUE_REDIS_URL`: webhooks in queue mode on that Redis (stored before the 2xx, processed
   * by a worker with retries; the demo page shows them queued, then processed). Absent: inline.
   */
  readonly webhookQueueRedisUrl?: string;
  /**
   * A connected Redis client (`REDIS_URL`, or a `Cluster` from `REDIS_CLUSTER_NODES`): webhook dedupe, the event list and the
   * rate-limit counters then
   * live in Redis, so several instances behave as one. Absent: all three stay in this process.
   */
  readonly redis?: HotglueRedisClient;
  /** Extra modules (the benchmark adds its bare endpoint this way). */
  readonly imports?: ModuleMetadata['imports'];
  /** Schedules `TenantSyncJob` (local mode turns it on, against the emulator). */
  readonly jobs?: SampleJobOptions;
}

export const DEFAULT_RATE_LIMIT: SampleRateLimit = { limit: 30, ttlMs: 60_000 };
/** Injection token of the `SampleAppOptions`. */
export const SAMPLE_OPTIONS = Symbol('SAMPLE_OPTIONS');
