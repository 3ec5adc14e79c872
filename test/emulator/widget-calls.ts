/**
 * Every API call of hotglue's widget (see docs/hotglue-reference.md), sent the way the widget sends it:
 * `x-api-key` and `Content-Type: application/json` on every request (GET and DELETE included), the tenant
 * token appended raw as `token` on the rows that carry one, bare trailing `?` where the widget leaves one.
 */
import type { HotglueEmulator } from '../../src/hotglue-testing/index.js';

/** One widget call: its row number, whether the widget appends the token, and how to build it. */
export interface WidgetCall {
  readonly row: number;
  readonly method: string;
  /** Path and query after the emulator URL, without the token. */
  readonly path: (ctx: WidgetCallContext) => string;
  readonly token: boolean;
  readonly body?: (ctx: WidgetCallContext) => unknown;
  /** The file upload sends multipart and no Content-Type of its own. */
  readonly multipart?: boolean;
}

export interface WidgetCallContext {
  readonly env: string;
  readonly v1: string;
  readonly v2: string;
  readonly tenant: string;
  /** `s3_root` of the job row 24 created. */
  jobRoot?: string;
}

const t = (c: WidgetCallContext) => `${c.env}/${c.v1}/${c.tenant}`;
const v2t = (c: WidgetCallContext) => `v2/${c.env}/${c.v2}/${c.tenant}`;

/** In an order where every call can succeed (links before their use, deletes last). */
export const WIDGET_CALLS: readonly WidgetCall[] = [
  { row: 1, method: 'GET', path: (c) => `/${c.env}/preferences`, token: false },
  { row: 2, method: 'GET', path: (c) => `/${c.env}/flows/supported`, token: false },
  { row: 3, method: 'GET', path: (c) => `/${c.env}/flows/${c.v1}/supported`, token: false },
  { row: 4, method: 'GET', path: (c) => `/${c.env}/flows/linked?user_id=${c.tenant}`, token: true },
  { row: 5, method: 'GET', path: (c) => `/${c.env}/${c.v1}/supportedSources?`, token: false },
  { row: 6, method: 'GET', path: (c) => `/${c.env}/${c.v1}/supportedTargets`, token: false },
  {
    row: 7,
    method: 'GET',
    path: (c) => `/${t(c)}/linkedSources?config=true&login_state=true`,
    token: true,
  },
  {
    row: 8,
    method: 'POST',
    path: (c) => `/${t(c)}/linkedSources`,
    token: true,
    body: () => ({
      source: { tap: 'csv', label: 'CSV', entityType: 'source', config: { url: 'https://x' } },
    }),
  },
  {
    row: 9,
    method: 'PATCH',
    path: (c) => `/${t(c)}/linkedSources`,
    token: false,
    body: () => ({ tap: 'pipedrive', config: { isReconnecting: false } }),
  },
  {
    row: 11,
    method: 'POST',
    path: (c) => `/${t(c)}/linkedSources/oauth1_authorize_url?tap_name=pipedrive`,
    token: false,
    body: () => ({ config: {} }),
  },
  { row: 12, method: 'GET', path: (c) => `/${t(c)}/linkedSources/discover?tap_name=pipedrive`, token: false },
  {
    row: 13,
    method: 'GET',
    path: (c) => `/${t(c)}/linkedSources/discover/poll?tap_name=pipedrive`,
    token: false,
  },
  { row: 14, method: 'DELETE', path: (c) => `/${t(c)}/linkedSources/state?tap_name=pipedrive`, token: false },
  {
    row: 15,
    method: 'GET',
    path: (c) => `/${t(c)}/linkedTargets?config=true&login_state=true`,
    token: true,
  },
  {
    row: 16,
    method: 'POST',
    path: (c) => `/${t(c)}/linkedTargets`,
    token: true,
    body: () => ({ target: { target: 'target-csv', config: {} } }),
  },
  {
    row: 18,
    method: 'GET',
    path: (c) => `/${t(c)}/linkedTargets/discover?target_name=target-postgres`,
    token: false,
  },
  { row: 19, method: 'GET', path: (c) => `/${t(c)}/taps/sheets?query=`, token: false },
  { row: 20, method: 'GET', path: (c) => `/${t(c)}/taps/sftp?path=/`, token: false },
  { row: 21, method: 'GET', path: (c) => `/${t(c)}/taps/pipedrive/files`, token: false },
  {
    row: 22,
    method: 'POST',
    path: (c) => `/${t(c)}/taps/pipedrive/files`,
    token: false,
    body: () => ({ files: [{ name: 'a.csv' }] }),
  },
  { row: 23, method: 'GET', path: (c) => `/${t(c)}/taps/file`, token: false },
  {
    row: 24,
    method: 'POST',
    path: (c) => `/${t(c)}/jobs`,
    token: false,
    body: (c) => ({ job: { job_name: `${c.v1}-pipedrive-260101-000000` }, tap: 'pipedrive' }),
  },
  { row: 25, method: 'GET', path: (c) => `/${t(c)}/jobs/latest?`, token: false },
  {
    row: 26,
    method: 'GET',
    path: (c) => `/${t(c)}/jobs/status?job_root=${encodeURIComponent(c.jobRoot ?? 'none')}`,
    token: false,
  },
  { row: 27, method: 'GET', path: (c) => `/${t(c)}/jobs?`, token: false },
  {
    row: 29,
    method: 'PUT',
    path: (c) => `/${t(c)}/jobs/schedule`,
    token: false,
    body: () => ({ state: 'ENABLED', schedule_expression: 'cron(0 0 * * ? *)' }),
  },
  { row: 28, method: 'GET', path: (c) => `/${t(c)}/jobs/schedule`, token: false },
  { row: 30, method: 'DELETE', path: (c) => `/${t(c)}/jobs/schedule`, token: false },
  { row: 31, method: 'POST', path: (c) => `/${t(c)}/taps/file`, token: false, multipart: true },
  { row: 32, method: 'DELETE', path: (c) => `/${t(c)}/taps/file`, token: false },
  { row: 33, method: 'GET', path: (c) => `/${c.env}/availableSources`, token: false },
  { row: 34, method: 'GET', path: (c) => `/${c.env}/availableTargets`, token: false },
  {
    row: 35,
    method: 'GET',
    path: (c) => `/entity/${c.env}/${c.tenant}/linked?entity=pipedrive`,
    token: false,
  },
  {
    row: 37,
    method: 'PUT',
    path: (c) => `/tenant/${c.env}/${c.tenant}/mapping`,
    token: false,
    body: (c) => ({
      config: { mapping: { contacts: { email: 'Email' } } },
      entityType: 'taps',
      entityId: 'pipedrive',
      flow: c.v1,
    }),
  },
  { row: 36, method: 'GET', path: (c) => `/tenant/${c.env}/${c.tenant}/mapping`, token: false },
  {
    row: 38,
    method: 'PUT',
    path: (c) => `/tenant/${c.env}/${c.tenant}/metadata`,
    token: false,
    body: () => ({ config: { metadata: { plan: 'pro' } } }),
  },
  { row: 39, method: 'GET', path: (c) => `/v2/${c.env}/availableConnectors`, token: false },
  { row: 40, method: 'GET', path: (c) => `/v2/${c.env}/${c.v2}/supportedConnectors`, token: false },
  { row: 41, method: 'GET', path: (c) => `/${v2t(c)}/linkedConnectors?config=true`, token: true },
  {
    row: 42,
    method: 'POST',
    path: (c) => `/${v2t(c)}/linkedConnectors?`,
    token: true,
    body: () => ({ connector: { id: 'hubspot', config: {} } }),
  },
  {
    row: 43,
    method: 'POST',
    path: (c) => `/${v2t(c)}/jobs`,
    token: false,
    body: () => ({ job: { job_name: 'read-job' }, job_type: 'read', connector_id: 'pipedrive' }),
  },
  {
    row: 44,
    method: 'PATCH',
    path: (c) => `/${v2t(c)}/linkedConnectors?`,
    token: true,
    body: () => ({ config: { isReconnecting: false }, connector_id: 'pipedrive' }),
  },
  {
    row: 46,
    method: 'GET',
    path: (c) => `/${v2t(c)}/linkedConnectors/discover?connector_id=pipedrive`,
    token: false,
  },
  {
    row: 47,
    method: 'GET',
    path: (c) => `/${v2t(c)}/linkedConnectors/discover/poll?connector_id=pipedrive`,
    token: false,
  },
  {
    row: 48,
    method: 'DELETE',
    path: (c) => `/${v2t(c)}/linkedConnectors/state?connector_id=pipedrive`,
    token: false,
  },
  { row: 10, method: 'DELETE', path: (c) => `/${t(c)}/linkedSources?tap_name=csv`, token: true },
  { row: 17, method: 'DELETE', path: (c) => `/${t(c)}/linkedTargets?target_name=target-csv`, token: true },
  { row: 45, method: 'DELETE', path: (c) => `/${v2t(c)}/linkedConnectors?connector_id=hubspot`, token: true },
];

/** The rows that carry the token (see docs/hotglue-reference.md): exactly these need one under `requireJwt`. */
export const TOKEN_ROWS = [4, 7, 8, 10, 15, 16, 17, 41, 42, 44, 45];

/** The answer to one call. */
export interface WidgetCallResult {
  readonly row: number;
  readonly status: number;
  readonly json: unknown;
  readonly allowOrigin: string | null;
}

/** Sends one call as the widget does; `token` undefined sends none. */
export async function sendWidgetCall(
  emulator: HotglueEmulator,
  call: WidgetCall,
  ctx: WidgetCallContext,
  token: string | undefined,
): Promise<WidgetCallResult> {
  let path = call.path(ctx);
  if (call.token && token !== undefined) {
    // Raw, unencoded, `&` or `?` as the widget's string building does.
    path += `${path.includes('?') ? (path.endsWith('?') ? '' : '&') : '?'}token=${token}`;
  }
  const headers: Record<string, string> = {
    'x-api-key': emulator.publicApiKey,
    origin: 'http://127.0.0.1:9',
  };
  let body: string | FormData | undefined;
  if (call.multipart) {
    const form = new FormData();
    form.append(
      'contacts.csv',
      new Blob(['id,email\n1,a@example.com\n'], { type: 'text/csv' }),
      'contacts.csv',
    );
    body = form;
  } else {
    headers['content-type'] = 'application/json';
    const value = call.body?.(ctx);
    if (value !== undefined) body = JSON.stringify(value);
  }
  const response = await fetch(`${emulator.url}${path}`, { method: call.method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    row: call.row,
    status: response.status,
    json,
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}
