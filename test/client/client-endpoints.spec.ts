import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueApiError, HotglueArgumentError, type HotglueClient } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createClient } from './client-harness.js';

/**
 * Every HotglueClient method against the emulator over real HTTP: path (raw, percent-encoded), query, key
 * kind, and the token only in tenant mode and only on tenant-specific routes (all of them: Require-JWT).
 */
let emu: HotglueEmulator;
let client: HotglueClient;
let close: () => Promise<void>;
let ENV: string;
let F1: string;
let F2: string;

beforeAll(async () => {
  const key = generateTestSigningKey();
  emu = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], requireJwt: true });
  ENV = emu.envId;
  F1 = emu.defaultFlowId;
  F2 = emu.defaultV2FlowId;
  ({ client, close } = await createClient(emu.url, {
    envId: emu.envId,
    publicApiKey: emu.publicApiKey,
    secretApiKey: emu.secretApiKey,
    flowId: F1,
    http: { maxAttempts: 1 },
  }));
});

afterAll(async () => {
  await close();
  await emu.close();
});

beforeEach(() => emu.clearRequests());

type Mode = 'secret' | 'tenant';
interface Case {
  readonly name: string;
  readonly call: (c: HotglueClient, t: string, auth: Mode) => Promise<unknown>;
  readonly method: string;
  readonly path: (t: string) => string;
  readonly query?: Record<string, string>;
  /** Tenant-specific (names a tenant): tenant mode sends the token here. */
  readonly token: boolean;
  /** Backend key only: runs in secret mode whatever `auth` says. */
  readonly secretOnly?: boolean;
}

const T = 'acme.corp@eu:1';
const cases: Case[] = [
  {
    name: 'getLinkedSources',
    call: (c, t, auth) => c.getLinkedSources(t, { auth, config: true, tapName: 'hubspot' }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/linkedSources`,
    query: { config: 'true', tap_name: 'hubspot' },
    token: true,
  },
  {
    name: 'linkSource',
    call: (c, t, auth) => c.linkSource(t, { source: { tap: 'hubspot', config: { a: 1 } } }, { auth }),
    method: 'POST',
    path: (t) => `/${ENV}/${F1}/${t}/linkedSources`,
    token: true,
  },
  {
    name: 'updateLinkedSource',
    call: (c, t, auth) => c.updateLinkedSource(t, { tap: 'hubspot', config: { a: 2 } }, { auth }),
    method: 'PATCH',
    path: (t) => `/${ENV}/${F1}/${t}/linkedSources`,
    token: true,
  },
  {
    name: 'unlinkSource',
    call: (c, t, auth) => c.unlinkSource(t, 'hubspot', { auth }),
    method: 'DELETE',
    path: (t) => `/${ENV}/${F1}/${t}/linkedSources`,
    query: { tap_name: 'hubspot' },
    token: true,
  },
  {
    name: 'getLinkedTargets',
    call: (c, t, auth) => c.getLinkedTargets(t, { auth, catalog: false }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/linkedTargets`,
    query: { catalog: 'false' },
    token: true,
  },
  {
    name: 'linkTarget',
    call: (c, t, auth) => c.linkTarget(t, { target: { target: 'csv' } }, { auth }),
    method: 'POST',
    path: (t) => `/${ENV}/${F1}/${t}/linkedTargets`,
    token: true,
  },
  {
    name: 'unlinkTarget',
    call: (c, t, auth) => c.unlinkTarget(t, 'csv', { auth }),
    method: 'DELETE',
    path: (t) => `/${ENV}/${F1}/${t}/linkedTargets`,
    query: { target_name: 'csv' },
    token: true,
  },
  {
    name: 'getLinkedConnectors',
    call: (c, t, auth) => c.getLinkedConnectors(t, { auth, flowId: F2, connectorId: 'hubspot' }),
    method: 'GET',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors`,
    query: { connector_id: 'hubspot' },
    token: true,
  },
  {
    name: 'linkConnector',
    call: (c, t, auth) => c.linkConnector(t, { connector: { id: 'hubspot' } }, { auth, flowId: F2 }),
    method: 'POST',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors`,
    token: true,
  },
  {
    name: 'updateLinkedConnector',
    call: (c, t, auth) =>
      c.updateLinkedConnector(t, { connector_id: 'hubspot', config: { a: 1 } }, { auth, flowId: F2 }),
    method: 'PATCH',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors`,
    token: true,
  },
  {
    name: 'getConnectorState',
    call: (c, t, auth) => c.getConnectorState(t, 'hubspot', { auth, flowId: F2 }),
    method: 'GET',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors/state`,
    query: { connector_id: 'hubspot' },
    token: true,
  },
  {
    name: 'setConnectorState',
    call: (c, t, auth) => c.setConnectorState(t, 'hubspot', { bookmarks: { s: {} } }, { auth, flowId: F2 }),
    method: 'PUT',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors/state`,
    query: { connector_id: 'hubspot' },
    token: true,
  },
  {
    name: 'deleteConnectorState',
    call: (c, t, auth) => c.deleteConnectorState(t, 'hubspot', { auth, flowId: F2 }),
    method: 'DELETE',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors/state`,
    query: { connector_id: 'hubspot' },
    token: true,
  },
  {
    name: 'unlinkConnector',
    call: (c, t, auth) => c.unlinkConnector(t, 'hubspot', { auth, flowId: F2 }),
    method: 'DELETE',
    path: (t) => `/v2/${ENV}/${F2}/${t}/linkedConnectors`,
    query: { connector_id: 'hubspot' },
    token: true,
  },
  {
    name: 'getSupportedFlows',
    call: (c, _t, auth) => c.getSupportedFlows({ auth }),
    method: 'GET',
    path: () => `/${ENV}/flows/supported`,
    token: false,
  },
  {
    name: 'getSupportedFlow',
    call: (c, _t, auth) => c.getSupportedFlow({ auth }),
    method: 'GET',
    path: () => `/${ENV}/flows/${F1}/supported`,
    token: false,
  },
  {
    name: 'getLinkedFlows',
    call: (c, t, auth) => c.getLinkedFlows(t, { auth }),
    method: 'GET',
    path: () => `/${ENV}/flows/linked`,
    query: { user_id: T },
    token: true,
  },
  {
    name: 'getSupportedSources',
    call: (c, _t, auth) => c.getSupportedSources({ auth, catalog: true }),
    method: 'GET',
    path: () => `/${ENV}/${F1}/supportedSources`,
    query: { catalog: 'true' },
    token: false,
  },
  {
    name: 'getSupportedTargets',
    call: (c, _t, auth) => c.getSupportedTargets({ auth }),
    method: 'GET',
    path: () => `/${ENV}/${F1}/supportedTargets`,
    token: false,
  },
  {
    name: 'getSupportedConnectors',
    call: (c, _t, auth) => c.getSupportedConnectors({ auth, flowId: F2 }),
    method: 'GET',
    path: () => `/v2/${ENV}/${F2}/supportedConnectors`,
    token: false,
  },
  {
    name: 'getAvailableConnectors',
    call: (c, _t, auth) => c.getAvailableConnectors({ auth }),
    method: 'GET',
    path: () => `/v2/${ENV}/availableConnectors`,
    token: false,
  },
  {
    name: 'runJob',
    call: (c, t, auth) => c.runJob(t, { tap: 'hubspot', job_name: 'j' }, { auth }),
    method: 'POST',
    path: (t) => `/${ENV}/${F1}/${t}/jobs`,
    token: true,
  },
  {
    name: 'runConnectorJob',
    call: (c, t, auth) =>
      c.runConnectorJob(t, { connector_id: 'hubspot', job_type: 'read' }, { auth, flowId: F2 }),
    method: 'POST',
    path: (t) => `/v2/${ENV}/${F2}/${t}/jobs`,
    token: true,
  },
  {
    name: 'listJobs',
    call: (c, t, auth) => c.listJobs(t, { auth, entityId: 'hubspot', entityType: 'source' }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/jobs`,
    query: { entity_id: 'hubspot', entity_type: 'source' },
    token: true,
  },
  {
    name: 'getLatestJob',
    call: (c, t, auth) => c.getLatestJob(t, { auth }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/jobs/latest`,
    token: true,
  },
  {
    name: 'getJobStatus',
    call: (c, t, auth) => c.getJobStatus(t, `${T}/flows/f/jobs/2026/01/1/01/00/abc`, { auth }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/jobs/status`,
    query: { job_root: `${T}/flows/f/jobs/2026/01/1/01/00/abc` },
    token: true,
  },
  {
    name: 'getSchedule',
    call: (c, t, auth) => c.getSchedule(t, { auth }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/jobs/schedule`,
    token: true,
  },
  {
    name: 'updateSchedule',
    call: (c, t, auth) => c.updateSchedule(t, { schedule_expression: 'cron(0 0 * * ? *)' }, { auth }),
    method: 'PUT',
    path: (t) => `/${ENV}/${F1}/${t}/jobs/schedule`,
    token: true,
  },
  {
    name: 'deleteSchedule',
    call: (c, t, auth) => c.deleteSchedule(t, { auth }),
    method: 'DELETE',
    path: (t) => `/${ENV}/${F1}/${t}/jobs/schedule`,
    token: true,
  },
  {
    name: 'listTenants',
    call: (c) => c.listTenants({ tenant: T }),
    method: 'GET',
    path: () => `/tenants/${ENV}`,
    query: { tenant: T },
    token: false,
    secretOnly: true,
  },
  {
    name: 'getTenantConfig',
    call: (c, t) => c.getTenantConfig(t),
    method: 'GET',
    path: (t) => `/tenant/${ENV}/${t}/config`,
    token: false,
    secretOnly: true,
  },
  {
    name: 'createMagicLink',
    call: (c, t) => c.createMagicLink({ tenant: t, type: 'flows', flow: F1 }),
    method: 'POST',
    path: () => `/${ENV}/magicLink`,
    token: false,
    secretOnly: true,
  },
  {
    name: 'getConnectorAccessToken',
    call: (c, t) =>
      c.getConnectorAccessToken(t, 'hub spot', { includeProperties: ['refresh_token', 'expires_in'] }),
    method: 'GET',
    path: (t) => `/${ENV}/${F1}/${t}/connectors/hub%20spot/accesstoken`,
    query: { include_properties: 'refresh_token,expires_in' },
    token: false,
    secretOnly: true,
  },
  {
    name: 'writeRecords',
    call: (c, t) => c.writeRecords(t, 'hubspot', 'con/tacts', { data: { id: 1 } }),
    method: 'POST',
    path: (t) => `/${ENV}/${F1}/${t}/connectors/hubspot/con%2Ftacts`,
    token: false,
    secretOnly: true,
  },
];

async function run(fn: () => Promise<unknown>): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

describe.each(['secret', 'tenant'] as const)('every method in %s mode', (mode) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const outcome = await run(() => c.call(client, T, mode));
    expect(emu.requests).toHaveLength(1);
    const request = emu.requests[0]!;
    expect(request.method).toBe(c.method);
    expect(request.path).toBe(c.path(encodeURIComponent(T)));
    const effective = c.secretOnly ? 'secret' : mode;
    expect(request.keyKind).toBe(effective === 'secret' ? 'secret' : 'public');
    const sendsToken = effective === 'tenant' && c.token;
    expect(request.token).toBe(sendsToken ? 'valid' : 'absent');
    const { token: _t, ...query } = request.query;
    expect(query).toEqual(c.query ?? {});
    if (sendsToken) expect(request.query.token).toBe('[REDACTED]');
    // Auth was accepted: whatever else the emulator says, it is not 401/403.
    if (outcome.error) {
      expect(outcome.error).toBeInstanceOf(HotglueApiError);
      expect([401, 403]).not.toContain((outcome.error as HotglueApiError).status);
    }
  });
});

describe('path encoding of ids (secret mode)', () => {
  it.each([
    ['a.b.c', 'a.b.c'],
    ['a b', 'a%20b'],
    ['a/b', 'a%2Fb'],
    ['../x', '..%2Fx'],
    ['x/../../y', 'x%2F..%2F..%2Fy'],
    ['ünï租户', '%C3%BC%6E%C3%AF%E7%A7%9F%E6%88%B7'.replace('%6E', 'n')],
    ['...', '%2E%2E%2E'],
    ['a?b#c', 'a%3Fb%23c'],
  ])('tenant %j is sent as one segment %j', async (tenantId, encoded) => {
    await run(() => client.getLinkedSources(tenantId, { auth: 'secret' }));
    expect(emu.requests.map((r) => r.path)).toEqual([`/${ENV}/${F1}/${encoded}/linkedSources`]);
  });

  it.each(['..', '.'])('tenant %j is refused before anything is sent', async (tenantId) => {
    await expect(client.getLinkedSources(tenantId, { auth: 'secret' })).rejects.toBeInstanceOf(
      HotglueArgumentError,
    );
    await expect(client.getTenantConfig(tenantId)).rejects.toBeInstanceOf(HotglueArgumentError);
    expect(emu.requests).toHaveLength(0);
  });

  it('a flow id and a connector id with dots, slashes and unicode are encoded too', async () => {
    await run(() => client.getConnectorAccessToken('t', 'c.v/ü', { flowId: 'f.1/..' }));
    expect(emu.requests[0]?.path).toBe(`/${ENV}/f.1%2F../t/connectors/c.v%2F%C3%BC/accesstoken`);
  });
});

describe('behaviour against the emulator', () => {
  it('links a source and lists it back with config in both modes', async () => {
    const tenant = 'tenant-roundtrip';
    await client.linkSource(tenant, { source: { tap: 'hubspot', config: { refresh_token: 'r' } } });
    const viaSecret = await client.getLinkedSources(tenant, { auth: 'secret', config: true });
    const viaTenant = await client.getLinkedSources(tenant, { auth: 'tenant' });
    expect(viaSecret.map((s) => s.tap)).toEqual(['hubspot']);
    expect(viaSecret[0]?.config).toMatchObject({ refresh_token: 'r' });
    expect(viaTenant.map((s) => s.tap)).toEqual(['hubspot']);
  });

  it('runs a job and waits for it to finish', async () => {
    const tenant = 'tenant-job';
    await client.linkSource(tenant, { source: { tap: 'hubspot' } });
    const job = await client.runJob(tenant, { tap: 'hubspot' });
    expect(typeof job.s3_root).toBe('string');
    const done = await client.waitForJob(tenant, job.s3_root!, {
      intervalMs: 50,
      maxIntervalMs: 200,
      timeoutMs: 15_000,
    });
    expect(done.status).toMatch(/COMPLETED|FAILED/);
  }, 20_000);

  it('waitForJob honours its deadline and the caller signal', async () => {
    const tenant = 'tenant-wait';
    await client.linkSource(tenant, { source: { tap: 'hubspot' } });
    const job = await client.runJob(tenant, { tap: 'hubspot' });
    await expect(
      client.waitForJob(tenant, job.s3_root!, { intervalMs: 50, timeoutMs: 200 }),
    ).rejects.toMatchObject({ code: 'HOTGLUE_TIMEOUT', kind: 'wait' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    await expect(
      client.waitForJob(tenant, job.s3_root!, { intervalMs: 5000, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'HOTGLUE_ABORTED' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waitForJob refuses a wait longer than a Node timer can hold, naming the option, before any call', async () => {
    await expect(client.waitForJob('tenant-wait', 'x/flows/y', { timeoutMs: 3e9 })).rejects.toMatchObject({
      code: 'HOTGLUE_ARGUMENT_INVALID',
      argument: 'timeoutMs',
    });
    expect(emu.requests).toHaveLength(0);
  });
});
