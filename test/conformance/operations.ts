/**
 * The conformance table: one row per hotglue operation `HotglueClient` calls, with where its shape comes
 * from. Both sides are tested against it (client-conformance.spec.ts: the request the client sends and the
 * fields it parses; emulator-conformance.spec.ts: the route the emulator serves and the fields it answers),
 * so a change to the client, the emulator or this table alone fails. coverage.spec.ts checks that every
 * public client method and every endpoint of `HOTGLUE_ENDPOINTS` has a row, and that docs/client.md's
 * operations table says the same as this one.
 *
 * Every row names its source: a hotglue docs page (URL), hotglue's own code (the widget bundle, the CLI,
 * the Singer SDK, by URL), or `guess` where nothing published shows the shape (inferred). A row that
 * disagrees with a hotglue page is corrected to the page, and the client and emulator follow the row.
 */
import type { HotglueClient } from '../../src/hotglue/index.js';

/** Where a row's shapes come from. */
export type Provenance =
  /** docs.hotglue.com (an API-reference page, its `.md` OpenAPI block, or a guide). */
  | 'docs'
  /** hotglue's own code other than the widget: `@hotglue/cli`, `hotgluexyz/HotglueSingerSDK`. */
  | 'hotglue-code'
  /** hotglue's widget bundle `@hotglue/widget` 1.4.63 (what it sends and reads). */
  | 'widget'
  /** Not published anywhere we read: third-party material or our own inference. */
  | 'guess';

export type AuthMode = 'secret' | 'tenant';
/** A JSON type, `date` for a `Date` the client made of a string; `|null` when hotglue may answer null. */
type BaseType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'date';
export type FieldType = BaseType | `${BaseType}|null`;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Ids a sample call uses. */
export interface OperationContext {
  readonly tenant: string;
  /** The V1 (source) flow and the V2 (connector) flow. */
  readonly v1: string;
  readonly v2: string;
  /** `s3_root` of a job of `tenant` in `v1`. */
  readonly jobRoot: string;
  /** `taskId` of an async real-time write of `tenant` in `v1` whose result is ready. */
  readonly taskId: string;
}

/** Exactly what one sample call sends, besides method, path, key and token. */
export interface OperationSample {
  /** Path placeholders other than env, flow and tenant. */
  readonly params?: { readonly connector?: string; readonly stream?: string };
  /** The query, `token` excluded. */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body; undefined: none. */
  readonly body?: unknown;
}

export interface OperationRow {
  /** The `HotglueClient` method (and `HOTGLUE_ENDPOINTS` key). */
  readonly operation: string;
  readonly method: HttpMethod;
  /** `{env}`, `{flow}` (V1, or V2 under `/v2`), `{tenant}`, `{connector}`, `{stream}`: percent-encoded. */
  readonly path: string;
  /** The auth modes the operation has: `['secret']` for backend-only ones. */
  readonly auth: readonly AuthMode[];
  /** Where the call names its tenant. Tenant mode sends the token iff not `'none'`. */
  readonly tenant: 'path' | 'query' | 'body' | 'none';
  /** Query fields the operation may send (`token` aside). */
  readonly query: readonly string[];
  /** Top-level body fields the operation may send; `null`: no body. */
  readonly body: readonly string[] | null;
  /**
   * The documented response: an object, or an array whose items have `fields`. Only fields a source
   * documents are listed; an undocumented answer is `{}`-like with no fields.
   */
  readonly response: {
    /** `strings`: an array of strings (no fields). */
    readonly kind: 'object' | 'array' | 'strings';
    readonly fields: Readonly<Record<string, FieldType>>;
  };
  /** A response in the documented shape, which the client must parse. */
  readonly example: unknown;
  /** Fields of the client's result when it renames or converts the wire fields; default `response.fields`. */
  readonly parsed?: Readonly<Record<string, FieldType>>;
  /** The kind of the client's result when it differs from the wire's (`strings` given as objects). */
  readonly parsedKind?: 'object' | 'array';
  /** Where the shapes come from: the page or file read. */
  readonly source: string;
  readonly provenance: Provenance;
  /** The sample call, in `auth` mode. */
  readonly call: (client: HotglueClient, ctx: OperationContext, auth: AuthMode) => Promise<unknown>;
  readonly sample: (ctx: OperationContext) => OperationSample;
}

const SRC = {
  auth: 'https://docs.hotglue.com/api-reference/authentication',
  secure: 'https://docs.hotglue.com/api-reference/secure-requests',
  widget: 'https://www.npmjs.com/package/@hotglue/widget/v/1.4.63',
  cli: 'https://app.unpkg.com/@hotglue/cli@1.0.32/files/lib/helpers/api.js',
  sdk: 'https://github.com/hotgluexyz/HotglueSingerSDK/blob/main/hotglue_singer_sdk/helpers/_hotglue_api.py',
  runJob: 'https://docs.hotglue.com/api-reference/v1/jobs/run-job',
  runJobV2: 'https://docs.hotglue.com/api-reference/v2/jobs/create',
  jobStatus: 'https://docs.hotglue.com/api-reference/jobs/poll-job-status.md',
  schedule: 'https://docs.hotglue.com/reference/jobs-schedule',
  linkSource: 'https://docs.hotglue.com/api-reference/v1/linked-sources/link-a-source.md',
  magicLink: 'https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md',
  writeStatus: 'https://docs.hotglue.com/api-reference/real-time/status.md',
  write: 'https://docs.hotglue.com/api-reference/real-time/write',
  accessToken: 'https://docs.hotglue.com/api-reference/access-tokens/retrieve-access-token.md',
  thirdParty: 'https://apis.apis.io/apis/hotglue/hotglue-api-v2/',
  tenantConfig: 'https://docs.hotglue.com/key-concepts/tenants',
  tenantMapping: 'https://docs.hotglue.com/api-reference/manage-tenants/set-tenant-mapping',
} as const;

const V1 = '/{env}/{flow}/{tenant}';
const V2 = '/v2/{env}/{flow}/{tenant}';
const ANY: readonly AuthMode[] = ['secret', 'tenant'];
const SECRET: readonly AuthMode[] = ['secret'];
const ACK = { kind: 'object', fields: {} } as const;
const JOB_FIELDS = {
  job_id: 'string',
  env_id: 'string',
  flow_id: 'string',
  job_name: 'string',
  tenant: 'string',
  s3_root: 'string',
  start_time: 'string',
  status: 'string',
  state: 'object',
} as const;
/** The Job fields of the poll-job-status example, which names the flow `flow` instead. */
const { flow_id: _jobFlowId, ...JOB_FIELDS_WITHOUT_FLOW_ID } = JOB_FIELDS;
/** The docs' example Job (run-job, poll-job-status), trimmed. */
const jobExample = (tenant = 'default') => ({
  job_id: '37g_DK',
  env_id: 'dev.example.hotglue.xyz',
  flow_id: 'l8odS2mce',
  job_name: 'l8odS2mce-salesforce',
  tenant,
  started_by: 'api',
  s3_root: `${tenant}/flows/l8odS2mce/jobs/2022/01/4/19/15/37g_DK`,
  start_time: '2022-01-19T15:37:30.000000+00:00',
  state: {},
  tap: 'salesforce',
  status: 'JOB_CREATED',
  scheduled_job: false,
  message: '',
  last_updated: '2022-01-19T15:37:30.000000+00:00',
  processed_rows: 0,
});
const FLOW_EXAMPLE = { id: 'l8odS2mce', name: 'Salesforce to warehouse', description: 'Sync' };
const noQuery = () => ({ query: {} });

export const OPERATIONS: readonly OperationRow[] = [
  // ---- Linked sources / targets (V1) ----
  {
    operation: 'getLinkedSources',
    method: 'GET',
    path: `${V1}/linkedSources`,
    auth: ANY,
    tenant: 'path',
    query: ['config', 'login_state', 'tap_name', 'catalog'],
    body: null,
    response: { kind: 'array', fields: { tap: 'string', label: 'string', tenant_id: 'string' } },
    example: [{ tap: 'salesforce', label: 'Salesforce', tenant_id: 'acme', icon: 'https://x/i.svg' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getLinkedSources(x.tenant, { auth, config: true, tapName: 'hubspot' }),
    sample: () => ({ query: { config: 'true', tap_name: 'hubspot' } }),
  },
  {
    operation: 'linkSource',
    method: 'POST',
    path: `${V1}/linkedSources`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['source', 'schedule', 'field_map'],
    response: ACK,
    example: {},
    source: SRC.linkSource,
    provenance: 'docs',
    call: (c, x, auth) =>
      c.linkSource(x.tenant, { source: { tap: 'pipedrive', config: { a: 1 } } }, { auth }),
    sample: () => ({ query: {}, body: { source: { tap: 'pipedrive', config: { a: 1 } } } }),
  },
  {
    operation: 'updateLinkedSource',
    method: 'PATCH',
    path: `${V1}/linkedSources`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['tap', 'config', 'field_map'],
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.updateLinkedSource(x.tenant, { tap: 'hubspot', field_map: { a: 'b' } }, { auth }),
    sample: () => ({ query: {}, body: { tap: 'hubspot', field_map: { a: 'b' } } }),
  },
  {
    operation: 'unlinkSource',
    method: 'DELETE',
    path: `${V1}/linkedSources`,
    auth: ANY,
    tenant: 'path',
    query: ['tap_name'],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.unlinkSource(x.tenant, 'hubspot', { auth }),
    sample: () => ({ query: { tap_name: 'hubspot' } }),
  },
  {
    operation: 'getLinkedSourceState',
    method: 'GET',
    path: `${V1}/linkedSources/state`,
    auth: ANY,
    tenant: 'path',
    query: ['tap_name'],
    body: null,
    response: { kind: 'object', fields: { bookmarks: 'object' } },
    example: { bookmarks: { contacts: { replication_key_value: '2026-01-01' } } },
    // The path is the widget's DELETE; a GET on it appears only in third-party Singer code.
    source: SRC.widget,
    provenance: 'guess',
    call: (c, x, auth) => c.getLinkedSourceState(x.tenant, 'hubspot', { auth }),
    sample: () => ({ query: { tap_name: 'hubspot' } }),
  },
  {
    operation: 'deleteLinkedSourceState',
    method: 'DELETE',
    path: `${V1}/linkedSources/state`,
    auth: ANY,
    tenant: 'path',
    query: ['tap_name'],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.deleteLinkedSourceState(x.tenant, 'hubspot', { auth }),
    sample: () => ({ query: { tap_name: 'hubspot' } }),
  },
  {
    operation: 'getLinkedTargets',
    method: 'GET',
    path: `${V1}/linkedTargets`,
    auth: ANY,
    tenant: 'path',
    query: ['config', 'login_state', 'catalog', 'target_name'],
    body: null,
    response: { kind: 'array', fields: { target: 'string', tenant_id: 'string' } },
    example: [{ target: 'target-csv', label: 'CSV', tenant_id: 'acme' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getLinkedTargets(x.tenant, { auth, config: false }),
    sample: () => ({ query: { config: 'false' } }),
  },
  {
    operation: 'linkTarget',
    method: 'POST',
    path: `${V1}/linkedTargets`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['target'],
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.linkTarget(x.tenant, { target: { target: 'target-postgres' } }, { auth }),
    sample: () => ({ query: {}, body: { target: { target: 'target-postgres' } } }),
  },
  {
    operation: 'unlinkTarget',
    method: 'DELETE',
    path: `${V1}/linkedTargets`,
    auth: ANY,
    tenant: 'path',
    query: ['target_name'],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.unlinkTarget(x.tenant, 'target-csv', { auth }),
    sample: () => ({ query: { target_name: 'target-csv' } }),
  },
  // ---- Linked connectors (V2) ----
  {
    operation: 'getLinkedConnectors',
    method: 'GET',
    path: `${V2}/linkedConnectors`,
    auth: ANY,
    tenant: 'path',
    query: ['config', 'catalog', 'connector_id'],
    body: null,
    response: { kind: 'array', fields: { id: 'string', tenant_id: 'string' } },
    example: [{ id: 'hubspot', label: 'HubSpot', tenant_id: 'acme' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getLinkedConnectors(x.tenant, { auth, flowId: x.v2, connectorId: 'hubspot' }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  {
    operation: 'linkConnector',
    method: 'POST',
    path: `${V2}/linkedConnectors`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['connector', 'schedule', 'field_map'],
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) =>
      c.linkConnector(x.tenant, { connector: { id: 'pipedrive', config: {} } }, { auth, flowId: x.v2 }),
    sample: () => ({ query: {}, body: { connector: { id: 'pipedrive', config: {} } } }),
  },
  {
    operation: 'updateLinkedConnector',
    method: 'PATCH',
    path: `${V2}/linkedConnectors`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['connector_id', 'config', 'field_map'],
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) =>
      c.updateLinkedConnector(x.tenant, { connector_id: 'hubspot', field_map: {} }, { auth, flowId: x.v2 }),
    sample: () => ({ query: {}, body: { connector_id: 'hubspot', field_map: {} } }),
  },
  {
    operation: 'unlinkConnector',
    method: 'DELETE',
    path: `${V2}/linkedConnectors`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.unlinkConnector(x.tenant, 'hubspot', { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  {
    operation: 'triggerDiscover',
    method: 'GET',
    path: `${V2}/linkedConnectors/discover`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: null,
    response: { kind: 'object', fields: { status: 'string|null' } },
    example: { status: 'RUNNING' },
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.triggerDiscover(x.tenant, 'hubspot', { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  {
    operation: 'pollDiscover',
    method: 'GET',
    path: `${V2}/linkedConnectors/discover/poll`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: null,
    response: { kind: 'object', fields: { status: 'string|null' } },
    example: { status: 'STOPPED' },
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.pollDiscover(x.tenant, 'hubspot', { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  {
    operation: 'getConnectorState',
    method: 'GET',
    path: `${V2}/linkedConnectors/state`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: null,
    response: { kind: 'object', fields: { bookmarks: 'object' } },
    example: { bookmarks: { contacts: { replication_key_value: '2026-01-01' } } },
    source: SRC.thirdParty,
    provenance: 'guess',
    call: (c, x, auth) => c.getConnectorState(x.tenant, 'hubspot', { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  {
    operation: 'setConnectorState',
    method: 'PUT',
    path: `${V2}/linkedConnectors/state`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: ['state'],
    response: ACK,
    example: {},
    source: SRC.thirdParty,
    provenance: 'guess',
    call: (c, x, auth) =>
      c.setConnectorState(x.tenant, 'hubspot', { bookmarks: { contacts: {} } }, { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' }, body: { state: { bookmarks: { contacts: {} } } } }),
  },
  {
    operation: 'deleteConnectorState',
    method: 'DELETE',
    path: `${V2}/linkedConnectors/state`,
    auth: ANY,
    tenant: 'path',
    query: ['connector_id'],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.deleteConnectorState(x.tenant, 'hubspot', { auth, flowId: x.v2 }),
    sample: () => ({ query: { connector_id: 'hubspot' } }),
  },
  // ---- Flows and catalog ----
  {
    operation: 'getSupportedFlows',
    method: 'GET',
    path: '/{env}/flows/supported',
    auth: ANY,
    tenant: 'none',
    query: [],
    body: null,
    response: { kind: 'array', fields: { id: 'string', name: 'string' } },
    example: [FLOW_EXAMPLE],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, _x, auth) => c.getSupportedFlows({ auth }),
    sample: noQuery,
  },
  {
    operation: 'getSupportedFlow',
    method: 'GET',
    path: '/{env}/flows/{flow}/supported',
    auth: ANY,
    tenant: 'none',
    query: [],
    body: null,
    response: { kind: 'object', fields: { id: 'string', name: 'string' } },
    example: FLOW_EXAMPLE,
    source: SRC.widget,
    provenance: 'widget',
    call: (c, _x, auth) => c.getSupportedFlow({ auth }),
    sample: noQuery,
  },
  {
    operation: 'getLinkedFlows',
    method: 'GET',
    path: '/{env}/flows/linked',
    auth: ANY,
    tenant: 'query',
    query: ['user_id'],
    body: null,
    response: { kind: 'array', fields: { id: 'string', name: 'string' } },
    example: [FLOW_EXAMPLE],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getLinkedFlows(x.tenant, { auth }),
    sample: (x) => ({ query: { user_id: x.tenant } }),
  },
  {
    operation: 'getSupportedSources',
    method: 'GET',
    path: '/{env}/{flow}/supportedSources',
    auth: ANY,
    tenant: 'none',
    query: ['catalog'],
    body: null,
    response: { kind: 'array', fields: { tap: 'string', label: 'string' } },
    example: [{ tap: 'salesforce', label: 'Salesforce', type: 'oauth' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, _x, auth) => c.getSupportedSources({ auth, catalog: true }),
    sample: () => ({ query: { catalog: 'true' } }),
  },
  {
    operation: 'getSupportedTargets',
    method: 'GET',
    path: '/{env}/{flow}/supportedTargets',
    auth: ANY,
    tenant: 'none',
    query: [],
    body: null,
    response: { kind: 'array', fields: { target: 'string', label: 'string' } },
    example: [{ target: 'target-csv', label: 'CSV' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, _x, auth) => c.getSupportedTargets({ auth }),
    sample: noQuery,
  },
  {
    operation: 'getSupportedConnectors',
    method: 'GET',
    path: '/v2/{env}/{flow}/supportedConnectors',
    auth: ANY,
    tenant: 'none',
    query: [],
    body: null,
    response: { kind: 'array', fields: { id: 'string', label: 'string' } },
    example: [{ id: 'hubspot', label: 'HubSpot', type: 'oauth' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getSupportedConnectors({ auth, flowId: x.v2 }),
    sample: noQuery,
  },
  {
    operation: 'getAvailableConnectors',
    method: 'GET',
    path: '/v2/{env}/availableConnectors',
    auth: ANY,
    tenant: 'none',
    query: [],
    body: null,
    // The widget returns it to the host as-is: no field is read, so none is documented.
    response: { kind: 'array', fields: {} },
    example: [{ id: 'hubspot' }],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, _x, auth) => c.getAvailableConnectors({ auth }),
    sample: noQuery,
  },
  // ---- Jobs and schedules ----
  {
    operation: 'runJob',
    method: 'POST',
    path: `${V1}/jobs`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: [
      'tap',
      'state',
      'job_name',
      'override_start_date',
      'override_end_date',
      'reset_source_state',
      'streaming_job',
      'override_selected_tables',
      'override_field_map',
      'override_source_config',
      'override_target_config',
      'ignore_parallel_jobs',
      'environment_variables',
      'queue_if_active_job',
    ],
    response: { kind: 'object', fields: JOB_FIELDS },
    example: jobExample(),
    source: SRC.runJob,
    provenance: 'docs',
    call: (c, x, auth) => c.runJob(x.tenant, { tap: 'hubspot', job_name: 'nightly' }, { auth }),
    sample: () => ({ query: {}, body: { tap: 'hubspot', job_name: 'nightly' } }),
  },
  {
    operation: 'runConnectorJob',
    method: 'POST',
    path: `${V2}/jobs`,
    auth: ANY,
    tenant: 'path',
    query: [],
    // The 15 body fields of https://docs.hotglue.com/api-reference/v2/jobs/create.
    body: [
      'connector_id',
      'job_type',
      'job_name',
      'override_start_date',
      'override_end_date',
      'reset_source_state',
      'override_selected_tables',
      'override_source_config',
      'override_target_config',
      'override_connector_config',
      'override_field_map',
      'environment_variables',
      'state',
      'streaming_job',
      'ignore_parallel_jobs',
    ],
    response: { kind: 'object', fields: JOB_FIELDS },
    example: { ...jobExample(), connector_id: 'hubspot', job_type: 'READ' },
    source: SRC.runJobV2,
    provenance: 'docs',
    call: (c, x, auth) =>
      c.runConnectorJob(x.tenant, { connector_id: 'hubspot', job_type: 'read' }, { auth, flowId: x.v2 }),
    sample: () => ({ query: {}, body: { connector_id: 'hubspot', job_type: 'read' } }),
  },
  {
    operation: 'listJobs',
    method: 'GET',
    path: `${V1}/jobs`,
    auth: ANY,
    tenant: 'path',
    // `count`: hotglue's CLI has `jobs list --count`; the wire name is our guess (docs/client.md).
    query: ['entity_id', 'entity_type', 'count'],
    body: null,
    response: { kind: 'array', fields: { job_id: 'string', status: 'string', start_time: 'string' } },
    example: [jobExample()],
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.listJobs(x.tenant, { auth, entityId: 'hubspot', entityType: 'source', count: 5 }),
    sample: () => ({ query: { entity_id: 'hubspot', entity_type: 'source', count: '5' } }),
  },
  {
    operation: 'getLatestJob',
    method: 'GET',
    path: `${V1}/jobs/latest`,
    auth: ANY,
    tenant: 'path',
    query: ['entity_id', 'entity_type'],
    body: null,
    response: {
      kind: 'object',
      fields: {
        job_id: 'string',
        flow_id: 'string',
        status: 'string',
        start_time: 'string',
        s3_root: 'string',
      },
    },
    example: jobExample(),
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getLatestJob(x.tenant, { auth }),
    sample: noQuery,
  },
  {
    operation: 'getJobStatus',
    method: 'GET',
    path: `${V1}/jobs/status`,
    auth: ANY,
    tenant: 'path',
    query: ['job_root'],
    body: null,
    // The docs' example carries the flow id as `flow` (a string) and no `flow_id`; the client fills
    // `flow_id` from it (and also accepts `{ id }` for `flow`).
    response: { kind: 'object', fields: { ...JOB_FIELDS_WITHOUT_FLOW_ID, flow: 'string' } },
    example: (({ flow_id: _flowId, ...job }) => ({ ...job, flow: 'l8odS2mce' }))(jobExample()),
    parsed: { ...JOB_FIELDS, flow: 'string' },
    source: SRC.jobStatus,
    provenance: 'docs',
    call: (c, x, auth) => c.getJobStatus(x.tenant, x.jobRoot, { auth }),
    sample: (x) => ({ query: { job_root: x.jobRoot } }),
  },
  {
    operation: 'getSchedule',
    method: 'GET',
    path: `${V1}/jobs/schedule`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: null,
    response: { kind: 'object', fields: { ScheduleExpression: 'string', State: 'string' } },
    example: { ScheduleExpression: 'cron(0 0 * * ? *)', State: 'ENABLED' },
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.getSchedule(x.tenant, { auth }),
    sample: noQuery,
  },
  {
    operation: 'updateSchedule',
    method: 'PUT',
    path: `${V1}/jobs/schedule`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: [
      'schedule_expression',
      'job_type',
      'state',
      'connector_id',
      'override_start_date',
      'override_selected_tables',
      'override_field_map',
      'environment_variables',
    ],
    response: ACK,
    example: {},
    source: SRC.schedule,
    provenance: 'docs',
    call: (c, x, auth) =>
      c.updateSchedule(x.tenant, { schedule_expression: 'cron(0 0 * * *)', state: 'ENABLED' }, { auth }),
    sample: () => ({ query: {}, body: { schedule_expression: 'cron(0 0 * * *)', state: 'ENABLED' } }),
  },
  {
    operation: 'deleteSchedule',
    method: 'DELETE',
    path: `${V1}/jobs/schedule`,
    auth: ANY,
    tenant: 'path',
    query: [],
    body: null,
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.deleteSchedule(x.tenant, { auth }),
    sample: noQuery,
  },
  // ---- Tenants, links, credentials, real-time (secret key only) ----
  {
    operation: 'listTenants',
    method: 'GET',
    path: '/tenants/{env}',
    auth: SECRET,
    tenant: 'query',
    query: ['tenant'],
    body: null,
    // hotglue's CLI reads the answer as a flat list of tenant id strings; the client gives each `{ id }`.
    response: { kind: 'strings', fields: {} },
    example: ['acme'],
    parsed: { id: 'string' },
    parsedKind: 'array',
    source: SRC.cli,
    provenance: 'hotglue-code',
    call: (c, x) => c.listTenants({ tenant: x.tenant }),
    sample: (x) => ({ query: { tenant: x.tenant } }),
  },
  {
    operation: 'getTenantConfig',
    method: 'GET',
    path: '/tenant/{env}/{tenant}/config',
    auth: SECRET,
    tenant: 'path',
    query: [],
    body: null,
    // The tenant's own config object ("custom mapping, keys, and other tenant-level settings"); the path is
    // from third-party code.
    response: ACK,
    example: { mapping: {} },
    source: SRC.tenantConfig,
    provenance: 'guess',
    call: (c, x) => c.getTenantConfig(x.tenant),
    sample: noQuery,
  },
  {
    operation: 'setTenantMapping',
    method: 'PUT',
    path: '/tenant/{env}/{tenant}/mapping',
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['config', 'entityType', 'entityId', 'flow'],
    response: ACK,
    example: {},
    source: SRC.tenantMapping,
    provenance: 'docs',
    call: (c, x, auth) =>
      c.setTenantMapping(
        x.tenant,
        {
          config: { mapping: { [x.v1]: { 'Contact/Contact': { email: 'Email' } } } },
          entityType: 'taps',
          entityId: 'salesforce',
          flow: x.v1,
        },
        { auth },
      ),
    sample: (x) => ({
      query: {},
      body: {
        config: { mapping: { [x.v1]: { 'Contact/Contact': { email: 'Email' } } } },
        entityType: 'taps',
        entityId: 'salesforce',
        flow: x.v1,
      },
    }),
  },
  {
    operation: 'setTenantMetadata',
    method: 'PUT',
    path: '/tenant/{env}/{tenant}/metadata',
    auth: ANY,
    tenant: 'path',
    query: [],
    body: ['config'],
    // No page documents the answer; the widget ignores it (inferred: `{}` as the mapping route).
    response: ACK,
    example: {},
    source: SRC.widget,
    provenance: 'widget',
    call: (c, x, auth) => c.setTenantMetadata(x.tenant, { plan: 'pro' }, { auth }),
    sample: () => ({ query: {}, body: { config: { metadata: { plan: 'pro' } } } }),
  },
  {
    operation: 'createMagicLink',
    method: 'POST',
    path: '/{env}/magicLink',
    auth: SECRET,
    tenant: 'body',
    query: [],
    body: ['tenant', 'flow', 'entityId', 'type', 'expiresAt', 'options'],
    response: { kind: 'object', fields: { url: 'string', expiresAt: 'string|null' } },
    example: { url: 'https://connect.hotglue.com/?token=abc', expiresAt: '2026-12-10T00:00:00.000Z' },
    parsed: { url: 'string', expiresAt: 'date|null' },
    source: SRC.magicLink,
    provenance: 'docs',
    call: (c, x) =>
      c.createMagicLink({
        tenant: x.tenant,
        type: 'flows',
        flow: x.v1,
        expiresAt: '2026-12-10T00:00:00.000Z',
      }),
    sample: (x) => ({
      query: {},
      body: { tenant: x.tenant, type: 'flows', flow: x.v1, expiresAt: '2026-12-10T00:00:00.000Z' },
    }),
  },
  {
    operation: 'getConnectorAccessToken',
    method: 'GET',
    path: `${V1}/connectors/{connector}/accesstoken`,
    auth: SECRET,
    tenant: 'path',
    query: ['include_properties'],
    body: null,
    response: { kind: 'object', fields: { success: 'boolean', access_token: 'string' } },
    example: { success: true, access_token: 'at-1', expires_in: 3600, refresh_token: 'rt-1' },
    source: SRC.accessToken,
    provenance: 'docs',
    call: (c, x) => c.getConnectorAccessToken(x.tenant, 'hubspot', { includeProperties: ['refresh_token'] }),
    sample: () => ({ params: { connector: 'hubspot' }, query: { include_properties: 'refresh_token' } }),
  },
  {
    operation: 'writeRecords',
    method: 'POST',
    path: `${V1}/connectors/{connector}/{stream}`,
    auth: SECRET,
    tenant: 'path',
    query: [],
    body: ['data', 'async'],
    response: {
      kind: 'object',
      fields: { async: 'boolean', jobId: 'string', taskId: 'string', state: 'object', logs: 'string' },
    },
    example: {
      async: false,
      jobId: 'j1',
      taskId: 't1',
      state: {
        bookmarks: { contacts: [{ hash: 'h', success: true }] },
        summary: { contacts: { success: 1, fail: 0, existing: 0, updated: 0 } },
      },
      logs: '',
    },
    source: SRC.write,
    provenance: 'docs',
    call: (c, x) => c.writeRecords(x.tenant, 'hubspot', 'contacts', { data: { email: 'a@example.com' } }),
    sample: () => ({
      params: { connector: 'hubspot', stream: 'contacts' },
      query: {},
      body: { data: { email: 'a@example.com' } },
    }),
  },
  {
    operation: 'getWriteStatus',
    method: 'GET',
    path: `${V1}/connectors/status`,
    auth: ANY,
    tenant: 'path',
    query: ['taskId'],
    body: null,
    response: { kind: 'object', fields: { has_data: 'boolean', result: 'object|null' } },
    example: {
      has_data: true,
      result: {
        async: true,
        jobId: 'j1',
        taskId: 't1',
        state: { bookmarks: {}, summary: {} },
        status_code: 200,
      },
    },
    parsed: { hasData: 'boolean', result: 'object|null' },
    source: SRC.writeStatus,
    provenance: 'docs',
    call: (c, x, auth) => c.getWriteStatus(x.tenant, x.taskId, { auth }),
    sample: (x) => ({ query: { taskId: x.taskId } }),
  },
];

/**
 * `HotglueClient` methods that call hotglue through other operations or not at all, each with the reason.
 * Every other method on its prototype must have a row (coverage.spec.ts).
 */
export const NOT_OPERATIONS: Readonly<Record<string, string>> = {
  getSourceCredentials: 'cached getLinkedSources (config=true, tap_name)',
  getConnectorCredentials: 'cached getConnectorAccessToken',
  evictCredentials: 'local cache only',
  provider: "calls the tenant's provider API, not hotglue's (credentials through the two above)",
  waitForJob: 'polls getJobStatus',
  // TypeScript-private helpers (they are on the prototype too).
  tenantCall: 'private helper',
  call: 'private helper',
  flow: 'private helper',
};

/** The request path of a row for a sample call: every placeholder percent-encoded. */
export function pathOf(row: OperationRow, envId: string, ctx: OperationContext): string {
  const params = row.sample(ctx).params ?? {};
  const values: Record<string, string | undefined> = {
    env: envId,
    flow: row.path.startsWith('/v2/') ? ctx.v2 : ctx.v1,
    tenant: ctx.tenant,
    connector: params.connector,
    stream: params.stream,
  };
  return row.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${row.operation}: no sample value for {${name}}`);
    return encodeURIComponent(value);
  });
}

/** The problems of `value` against a documented response (`[]` when it conforms). */
export function shapeProblems(
  value: unknown,
  response: {
    readonly kind: 'object' | 'array' | 'strings';
    readonly fields: Readonly<Record<string, FieldType>>;
  },
): string[] {
  const typeOf = (v: unknown): string =>
    Array.isArray(v)
      ? 'array'
      : v === null
        ? 'null'
        : v instanceof Date
          ? 'date'
          : typeof v === 'object'
            ? 'object'
            : typeof v;
  const fits = (v: unknown, type: FieldType) => type.split('|').includes(typeOf(v));
  const objectProblems = (item: unknown, where: string): string[] => {
    if (typeOf(item) !== 'object') return [`${where}: expected an object, got ${typeOf(item)}`];
    const record = item as Record<string, unknown>;
    return Object.entries(response.fields)
      .filter(([name, type]) => !fits(record[name], type))
      .map(([name, type]) => `${where}.${name}: expected ${type}, got ${typeOf(record[name])}`);
  };
  if (response.kind === 'object') return objectProblems(value, 'response');
  if (!Array.isArray(value)) return [`response: expected an array, got ${typeOf(value)}`];
  if (response.kind === 'strings') {
    return value.flatMap((item, index) =>
      typeof item === 'string' ? [] : [`response[${index}]: expected a string, got ${typeOf(item)}`],
    );
  }
  if (Object.keys(response.fields).length > 0 && value.length === 0) {
    return ['response: an empty array cannot show its documented fields'];
  }
  return value.flatMap((item, index) => objectProblems(item, `response[${index}]`));
}
