/**
 * The typed events a hotglue webhook delivery is parsed into. hotglue documents the job body (the Job
 * object) and the names of the discover events; the discover and connection bodies are not documented, so
 * their parser accepts the field spellings listed in docs/webhooks.md and keeps everything in `raw`.
 */

/** The `kind` of a parsed event; `unknown` keeps shapes this version does not recognise. */
export type HotglueEventKind = 'job' | 'discover' | 'connection' | 'unknown';

/** Discover lifecycle events (see docs/hotglue-reference.md). */
export type HotglueDiscoverStatus = 'DISCOVER_STARTED' | 'DISCOVER_SUCCESS' | 'DISCOVER_FAILED';

/** What happened to a link. */
export type HotglueConnectionAction = 'created' | 'updated' | 'removed';

/** What kind of thing is linked: a V1 source (tap) or target, or a V2 connector. */
export type HotglueLinkedEntity = 'source' | 'target' | 'connector';

/** The fields every event kind carries. */
export interface EventBase {
  /** The parsed JSON body as received (for a connection event, without `config`: credentials stay out). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** The event's own time (`last_updated`, `timestamp`, ...) when it carries one; judges the replay window. */
  readonly occurredAt?: Date;
}

/** A job moved forward in its lifecycle; the body is hotglue's Job object. */
export interface HotglueJobEvent extends EventBase {
  readonly kind: 'job';
  readonly jobId: string;
  readonly flowId: string;
  readonly tenantId: string;
  /** e.g. `JOB_CREATED`, `SYNC_STARTED`, `JOB_COMPLETED`, `SYNC_FAILED`. */
  readonly status: string;
  readonly envId?: string;
  /** Unique per job (job ids are short and may repeat). */
  readonly s3Root?: string;
  readonly jobName?: string;
  readonly tap?: string;
  readonly target?: string;
  readonly connectorId?: string;
}

/** A discover (catalog discovery) started, succeeded or failed. */
export interface HotglueDiscoverEvent extends EventBase {
  readonly kind: 'discover';
  readonly status: HotglueDiscoverStatus;
  readonly tenantId?: string;
  readonly flowId?: string;
  /** The tap (or connector id) being discovered, when given. */
  readonly entityId?: string;
}

/**
 * A linked source, target or connector was created, updated (overwritten) or removed. Carries what a
 * credentials cache needs to evict: tenant, flow, entity kind and id.
 */
export interface HotglueConnectionEvent extends EventBase {
  readonly kind: 'connection';
  readonly action: HotglueConnectionAction;
  readonly entity: HotglueLinkedEntity;
  /** The tap name, target name or connector id. */
  readonly entityId: string;
  readonly tenantId: string;
  readonly flowId: string;
}

/** A signed JSON object of a shape this version does not recognise: kept, never dropped silently. */
export interface HotglueUnknownEvent extends EventBase {
  readonly kind: 'unknown';
}

/** Every event a handler may receive. */
export type HotglueWebhookEvent =
  | HotglueJobEvent
  | HotglueDiscoverEvent
  | HotglueConnectionEvent
  | HotglueUnknownEvent;

/** The event type of one kind, e.g. `HotglueEventOf<'job'>` is `HotglueJobEvent`. */
export type HotglueEventOf<K extends HotglueEventKind> = Extract<HotglueWebhookEvent, { kind: K }>;

/** About the delivery that carried an event (the same for every handler of it). */
export interface HotglueDelivery {
  /** Stable id of the delivery: equal for repeated deliveries of the same event, on every instance. */
  readonly id: string;
  /** When this instance received it. */
  readonly receivedAt: Date;
  /** The named environment the receiving route is bound to (`environment` option); absent when unbound. */
  readonly environment?: string;
}
