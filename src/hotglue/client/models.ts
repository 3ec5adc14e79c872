/**
 * Request and response shapes of hotglue's API (see docs/hotglue-reference.md). hotglue publishes no schema
 * for most responses, so every response type keeps unknown fields (`[key: string]: unknown`), and fields
 * hotglue does not document are optional and loosely typed. Request bodies use hotglue's own (snake_case)
 * field names, sent as given.
 */

/** A JSON object whose fields this library does not interpret. */
export type HotglueJsonObject = Record<string, unknown>;

/** A linked source (V1). `config` only with `config: true`; the catalog only with `catalog: true`. */
export interface HotglueLinkedSource {
  /** The source (tap) id, e.g. `salesforce`. */
  tap: string;
  label?: string;
  domain?: string;
  icon?: string;
  type?: string;
  /** The tenant's connector config, credentials included; returned only when `config: true` was asked. */
  config?: HotglueJsonObject;
  [key: string]: unknown;
}

/** A linked target (V1). hotglue does not document its shape: typed loosely. */
export interface HotglueLinkedTarget {
  target?: string;
  label?: string;
  domain?: string;
  icon?: string;
  type?: string;
  config?: HotglueJsonObject;
  [key: string]: unknown;
}

/** A linked connector (V2). Fields beyond `id` come from third-party material, not hotglue's docs. */
export interface HotglueLinkedConnector {
  id: string;
  tap?: string;
  label?: string;
  domain?: string;
  icon?: string;
  type?: string;
  config?: HotglueJsonObject;
  [key: string]: unknown;
}

/** Body of `linkSource`. */
export interface HotglueLinkSourceRequest {
  source: { tap: string; config?: HotglueJsonObject; symlink?: HotglueJsonObject; [key: string]: unknown };
  schedule?: HotglueJsonObject;
  field_map?: HotglueJsonObject;
  [key: string]: unknown;
}

/** Body of `updateLinkedSource`: `{ tap, config }` or `{ tap, field_map }`. */
export interface HotglueUpdateLinkedSourceRequest {
  tap: string;
  config?: HotglueJsonObject;
  field_map?: HotglueJsonObject;
  [key: string]: unknown;
}

/** Body of `linkTarget`. hotglue does not document the target object's fields. */
export interface HotglueLinkTargetRequest {
  target: HotglueJsonObject;
  [key: string]: unknown;
}

/** Body of `linkConnector`. */
export interface HotglueLinkConnectorRequest {
  connector: {
    id: string;
    config?: HotglueJsonObject;
    symlink?: { id: string; tenant: string; type: string };
    [key: string]: unknown;
  };
  schedule?: { schedule_expression: string; state?: string; [key: string]: unknown };
  field_map?: HotglueJsonObject;
  [key: string]: unknown;
}

/** Body of `updateLinkedConnector`. */
export interface HotglueUpdateLinkedConnectorRequest {
  connector_id: string;
  config?: HotglueJsonObject;
  field_map?: HotglueJsonObject;
  [key: string]: unknown;
}

/** A connector's incremental state: `{ bookmarks: {...} }` (from third-party material). */
export interface HotglueConnectorState {
  bookmarks?: HotglueJsonObject;
  [key: string]: unknown;
}

/**
 * What `triggerDiscover` and `pollDiscover` answer: `status` such as `RUNNING` while the
 * discover runs; another value (or `null`, none ran) once it stopped. Shape from third-party material and
 * hotglue's widget, which polls until `status` is not `RUNNING`: typed loosely.
 */
export interface HotglueDiscoverRun {
  status?: string | null;
  [key: string]: unknown;
}

/** A flow. `version: 2` marks a V2 (connector) flow. */
export interface HotglueFlow {
  id: string;
  name?: string;
  description?: string;
  type?: string;
  version?: number;
  [key: string]: unknown;
}

/** A supported source / target / connector settings object, typed loosely (hotglue documents a few fields only). */
export interface HotglueConnectorSettings {
  tap?: string;
  id?: string;
  label?: string;
  icon?: string;
  domain?: string;
  type?: string;
  tags?: unknown;
  [key: string]: unknown;
}

/** Job lifecycle statuses (see docs/hotglue-reference.md). Other strings are passed through. */
export type HotglueJobStatus =
  | 'JOB_CREATED'
  | 'DISCOVER_STARTED'
  | 'DISCOVER_FAILED'
  | 'SYNC_STARTED'
  | 'SYNC_FAILED'
  | 'SYNC_SUCCESS'
  | 'ETL_STARTED'
  | 'ETL_FAILED'
  | 'ETL_SUCCESS'
  | 'EXPORT_STARTED'
  | 'EXPORT_FAILED'
  | 'JOB_COMPLETED'
  | (string & {});

/** A job. `s3_root` is unique and is what `getJobStatus` / `waitForJob` take. */
export interface HotglueJob {
  job_id?: string;
  env_id?: string;
  /** The flow id; on `getJobStatus` / `waitForJob` answers filled from `flow` when hotglue sends only that. */
  flow_id?: string;
  job_name?: string;
  tenant?: string;
  started_by?: string;
  s3_root?: string;
  start_time?: string;
  state?: HotglueJsonObject;
  tap?: string;
  target?: string;
  connector_id?: string;
  job_type?: string;
  sync_type?: string;
  status?: HotglueJobStatus;
  scheduled_job?: boolean;
  message?: string;
  last_updated?: string;
  processed_rows?: number;
  /**
   * The flow id, on `getJobStatus` / `waitForJob` answers. The docs' example has a string
   * (https://docs.hotglue.com/api-reference/jobs/poll-job-status.md); an object `{ id, name }` from hotglue
   * is accepted too and reduced to its `id`, so this is always the id when present.
   */
  flow?: string;
  [key: string]: unknown;
}

/** Body of `runJob`; every field optional. */
export interface HotglueRunJobRequest {
  tap?: string;
  state?: HotglueJsonObject;
  job_name?: string;
  override_start_date?: string;
  override_end_date?: string;
  reset_source_state?: boolean;
  streaming_job?: boolean;
  override_selected_tables?: HotglueJsonObject;
  override_field_map?: HotglueJsonObject;
  override_source_config?: HotglueJsonObject;
  override_target_config?: HotglueJsonObject;
  ignore_parallel_jobs?: boolean;
  environment_variables?: HotglueJsonObject;
  queue_if_active_job?: boolean;
  [key: string]: unknown;
}

/** Body of `runConnectorJob`. */
export interface HotglueRunConnectorJobRequest extends Omit<HotglueRunJobRequest, 'tap'> {
  connector_id: string;
  job_type: 'read' | 'write';
  override_connector_config?: HotglueJsonObject;
}

/** Body of `updateSchedule`. */
export interface HotglueScheduleRequest {
  /** e.g. `cron(0 0 * * *)`. */
  schedule_expression: string;
  job_type?: string;
  /**
   * The API reference lists `ENABLED` / `DISABLED` (https://docs.hotglue.com/reference/jobs-schedule); the
   * scheduling guide writes `"disabled"` (https://docs.hotglue.com/docs/jobs-scheduling). Either case is
   * accepted here and sent upper case, the reference's form. hotglue's default is `ENABLED`.
   */
  state?: 'ENABLED' | 'DISABLED' | 'enabled' | 'disabled';
  connector_id?: string;
  override_start_date?: string;
  override_selected_tables?: HotglueJsonObject;
  override_field_map?: HotglueJsonObject;
  environment_variables?: HotglueJsonObject;
  [key: string]: unknown;
}

/** A schedule. hotglue does not document its shape. */
export type HotglueSchedule = HotglueJsonObject;

/**
 * A tenant from `listTenants`, in one shape whatever hotglue answered: hotglue's own code reads the answer
 * as a flat list of tenant id strings (https://app.unpkg.com/@hotglue/cli@1.0.32/files/lib/helpers/api.js),
 * and an object naming its tenant (`id`, `tenant` or `tenant_id`) is accepted too. `id` is the tenant id;
 * an object's other fields are kept beside it.
 */
export interface HotglueTenantRecord {
  id: string;
  [key: string]: unknown;
}

/**
 * Body of `setTenantMapping`, as https://docs.hotglue.com/api-reference/manage-tenants/set-tenant-mapping
 * publishes it: `config.mapping` keyed by flow id, then `<InternalTable>/<RemoteTable>`, then field to
 * field. `entityType` (`taps` or `connectors`), `entityId` and `flow` are optional, and required when the
 * "Update Fields on Mapping" widget setting is on.
 */
export interface HotglueTenantMappingRequest {
  config: { mapping: HotglueJsonObject; [key: string]: unknown };
  entityType?: 'taps' | 'connectors' | (string & {});
  entityId?: string;
  flow?: string;
  [key: string]: unknown;
}

/**
 * Body of `createMagicLink`: `POST /{env_id}/magicLink` of the API reference
 * (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md), where every field is
 * nullable and extra keys are allowed. `tenant` is required here: the magic-links guide says so
 * (https://docs.hotglue.com/connection-methods/magic-links).
 */
export interface HotglueMagicLinkRequest {
  tenant: string;
  /** The guide's `all`, `flows` or `connectors`; the reference types it as any string. */
  type?: 'all' | 'flows' | 'connectors' | (string & {}) | null;
  /** The flow id; the guide needs it for `flows` and `connectors`. */
  flow?: string | null;
  /** The connector id; the guide needs it for `connectors`. */
  entityId?: string | null;
  /** "Optional expiration timestamp for the Magic Link": a `Date` or an ISO 8601 string, sent as ISO 8601. */
  expiresAt?: Date | string | null;
  /** Extra options of the link page (free-form in the reference). */
  options?: HotglueJsonObject | null;
  [key: string]: unknown;
}

/** `createMagicLink` response: `{ url, expiresAt }`; `expiresAt` parsed to a `Date`, `null` when none. */
export interface HotglueMagicLink {
  url: string;
  expiresAt: Date | null;
  [key: string]: unknown;
}

/**
 * `getConnectorAccessToken` response, for a V2 connector or a V1 tap or target alike. It is a
 * tenant credential: never log or forward it.
 */
export interface HotglueConnectorAccessToken {
  success?: boolean;
  access_token: string;
  expires_in?: number;
  refresh_token?: string;
  [key: string]: unknown;
}

/**
 * Body of `writeRecords`. `data` is "The object you want to post": one JSON object per call
 * (https://docs.hotglue.com/api-reference/real-time/write). An array is refused before sending.
 */
export interface HotglueWriteRecordsRequest {
  data: HotglueJsonObject;
  async?: boolean;
  [key: string]: unknown;
}

/** One record's outcome in a real-time write (`state.bookmarks[stream][]`); `error` is JSON text. */
export interface HotglueWriteRecordOutcome {
  hash?: string;
  success?: boolean;
  /** The id the record got in the connector, when it was written. */
  id?: string;
  error?: string;
  [key: string]: unknown;
}

/** One stream's counts in a real-time write (`state.summary[stream]`). */
export interface HotglueWriteStreamSummary {
  success?: number;
  fail?: number;
  existing?: number;
  updated?: number;
  [key: string]: unknown;
}

/**
 * `writeRecords` response, as https://docs.hotglue.com/api-reference/real-time/write shows it:
 * `{ async, jobId, taskId, state: { bookmarks, summary }, logs }`. The per-stream `summary` lives inside
 * `state`; `logs` is a string ("Optional logs for debugging"). With `async: true` the outcome is not in
 * the answer yet: poll `getWriteStatus(tenantId, taskId)`.
 */
export interface HotglueWriteRecordsResult {
  async?: boolean;
  jobId?: string;
  taskId?: string;
  state?: {
    bookmarks?: Record<string, HotglueWriteRecordOutcome[]>;
    summary?: Record<string, HotglueWriteStreamSummary>;
    [key: string]: unknown;
  };
  logs?: string;
  [key: string]: unknown;
}

/**
 * `getWriteStatus`: hotglue's `{ has_data, result }` as `{ hasData, result }`
 * (https://docs.hotglue.com/api-reference/real-time/status). `result` is the write's outcome, shaped like a
 * `writeRecords` answer plus `status_code`; `null` while `hasData` is false (not ready yet).
 */
export interface HotglueWriteStatus {
  hasData: boolean;
  result: (HotglueWriteRecordsResult & { status_code?: number }) | null;
}

/** What linking, unlinking and state calls answer: `{}`-like; hotglue does not document it. */
export type HotglueAck = HotglueJsonObject;
