import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, pathOf, signToken } from './emulator-helpers.js';

/** The happy path of every route, through a plain undici client. */
describe('HotglueEmulator routes', () => {
  const key = generateTestSigningKey();
  let emulator: HotglueEmulator;
  let env: string;
  let v1: string;
  let v2: string;
  const tenant = 'acme';

  beforeAll(async () => {
    emulator = await HotglueEmulator.start({
      jwtPublicKeys: [key.publicKeyPem],
      seed: {
        tenants: [{ id: 'acme', config: { mapping: { a: 1 } } }, { id: 'beta' }],
        linkedConnectors: [
          {
            tenantId: 'acme',
            connector: {
              id: 'salesforce',
              config: { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 60 },
            },
          },
        ],
      },
    });
    env = emulator.envId;
    v1 = emulator.defaultFlowId;
    v2 = emulator.defaultV2FlowId;
  });
  afterAll(() => emulator.close());

  it('has a dotted env id, a V1 and a V2 default flow', () => {
    expect(env).toBe('dev.emulator.hotglue.xyz');
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(v1).not.toBe(v2);
    expect(emulator.publicApiKey).toMatch(/^pk_emu_/);
    expect(emulator.secretApiKey).toMatch(/^sk_emu_/);
  });

  describe('linked sources (V1)', () => {
    const path = () => pathOf(env, v1, tenant, 'linkedSources');

    it('POST links, GET lists, PATCH merges config, DELETE unlinks', async () => {
      const linked = await call(emulator, 'POST', path(), {
        body: {
          source: { tap: 'salesforce', config: { client_id: 'c' }, custom: 'kept' },
          field_map: { a: 'b' },
        },
      });
      expect(linked.status).toBe(200);
      expect(linked.json).toMatchObject({ tap: 'salesforce', label: 'Salesforce', custom: 'kept' });
      expect(linked.json).not.toHaveProperty('config');

      const listed = await call(emulator, 'GET', path(), { query: { config: 'true' } });
      expect(listed.status).toBe(200);
      expect(listed.json).toEqual([
        expect.objectContaining({ tap: 'salesforce', config: { client_id: 'c' }, field_map: { a: 'b' } }),
      ]);

      const patched = await call(emulator, 'PATCH', path(), {
        body: { tap: 'salesforce', config: { client_secret: 's' } },
      });
      expect(patched.status).toBe(200);
      const after = await call(emulator, 'GET', path(), {
        query: { config: 'true', tap_name: 'salesforce' },
      });
      expect((after.json as Array<{ config: unknown }>)[0]!.config).toEqual({
        client_id: 'c',
        client_secret: 's',
      });

      const removed = await call(emulator, 'DELETE', path(), { query: { tap_name: 'salesforce' } });
      expect(removed).toMatchObject({ status: 200, json: {} });
      expect((await call(emulator, 'GET', path())).json).toEqual([]);
    });

    it('answers 400 BadRequestError without source.tap, and 404 when unlinking what is not linked', async () => {
      const bad = await call(emulator, 'POST', path(), { body: { source: {} } });
      expect(bad.status).toBe(400);
      expect(bad.json).toEqual({ Code: 'BadRequestError', Message: expect.stringContaining('source.tap') });
      const missing = await call(emulator, 'DELETE', path(), { query: { tap_name: 'nope' } });
      expect(missing.status).toBe(404);
      expect(missing.json).toMatchObject({ Code: 'NotFoundError' });
      const noName = await call(emulator, 'DELETE', path());
      expect(noName.status).toBe(400);
    });
  });

  it('linked targets: POST, GET, DELETE', async () => {
    const path = pathOf(env, v1, tenant, 'linkedTargets');
    const linked = await call(emulator, 'POST', path, {
      body: { target: { target: 'target-csv', config: { d: 1 } } },
    });
    expect(linked.status).toBe(200);
    const listed = await call(emulator, 'GET', path);
    expect(listed.json).toEqual([expect.objectContaining({ target: 'target-csv', label: 'CSV' })]);
    expect((listed.json as object[])[0]).not.toHaveProperty('config');
    expect((await call(emulator, 'DELETE', path, { query: { target_name: 'target-csv' } })).json).toEqual({});
  });

  it('linked connectors (V2): POST, GET with connector_id, PATCH, state GET/PUT/DELETE, DELETE', async () => {
    const path = pathOf('v2', env, v2, tenant, 'linkedConnectors');
    const linked = await call(emulator, 'POST', path, {
      body: {
        connector: { id: 'hubspot', config: { access_token: 'h' } },
        schedule: { schedule_expression: 'x' },
      },
    });
    expect(linked.status).toBe(200);
    const one = await call(emulator, 'GET', path, { query: { connector_id: 'hubspot', config: 'true' } });
    expect(one.json).toEqual([expect.objectContaining({ id: 'hubspot', config: { access_token: 'h' } })]);
    const all = await call(emulator, 'GET', path);
    expect((all.json as Array<{ id: string }>).map((c) => c.id).sort()).toEqual(['hubspot', 'salesforce']);

    const patched = await call(emulator, 'PATCH', path, {
      body: { connector_id: 'hubspot', field_map: { x: 1 } },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ id: 'hubspot', field_map: { x: 1 } });

    const statePath = `${path}/state`;
    const q = { connector_id: 'hubspot' };
    expect((await call(emulator, 'GET', statePath, { query: q })).json).toEqual({ bookmarks: {} });
    const put = await call(emulator, 'PUT', statePath, {
      query: q,
      body: { state: { bookmarks: { a: 1 } } },
    });
    expect(put).toMatchObject({ status: 200, json: {} });
    expect((await call(emulator, 'GET', statePath, { query: q })).json).toEqual({ bookmarks: { a: 1 } });
    expect((await call(emulator, 'DELETE', statePath, { query: q })).json).toEqual({});
    expect((await call(emulator, 'GET', statePath, { query: q })).json).toEqual({ bookmarks: {} });
    expect((await call(emulator, 'PUT', statePath, { query: q, body: {} })).status).toBe(400);

    expect((await call(emulator, 'DELETE', path, { query: q })).json).toEqual({});
    expect((await call(emulator, 'GET', statePath, { query: q })).status).toBe(404);
  });

  it('flows: supported, one, linked (user_id with a token)', async () => {
    const flows = await call(emulator, 'GET', pathOf(env, 'flows', 'supported'), { key: 'public' });
    expect(flows.status).toBe(200);
    expect((flows.json as Array<{ id: string; version: number }>).map((f) => [f.id, f.version])).toEqual([
      [v1, 1],
      [v2, 2],
    ]);
    const one = await call(emulator, 'GET', pathOf(env, 'flows', v2, 'supported'), { key: 'public' });
    expect(one.json).toMatchObject({ id: v2, version: 2 });
    expect((await call(emulator, 'GET', pathOf(env, 'flows', 'nope', 'supported'))).status).toBe(404);

    const token = await signToken(key.privateKey, tenant);
    const linked = await call(emulator, 'GET', pathOf(env, 'flows', 'linked'), {
      key: 'public',
      query: { user_id: tenant, token },
    });
    expect(linked.status).toBe(200);
    // The widget draws CONNECTED cards from these objects: the same fields as flows/supported.
    expect(linked.json).toEqual([
      expect.objectContaining({
        id: v2,
        name: expect.any(String),
        description: expect.any(String),
        version: 2,
      }),
    ]);
    expect((await call(emulator, 'GET', pathOf(env, 'flows', 'linked'))).status).toBe(400);
  });

  it('catalogs: supportedSources, supportedTargets, v2 supportedConnectors, v2 availableConnectors', async () => {
    const sources = await call(emulator, 'GET', pathOf(env, v1, 'supportedSources'), { key: 'public' });
    expect(sources.json).toEqual(expect.arrayContaining([expect.objectContaining({ tap: 'salesforce' })]));
    const targets = await call(emulator, 'GET', pathOf(env, v1, 'supportedTargets'), { key: 'public' });
    expect(targets.json).toEqual(
      expect.arrayContaining([expect.objectContaining({ target: 'target-postgres' })]),
    );
    const connectors = await call(emulator, 'GET', pathOf('v2', env, v2, 'supportedConnectors'), {
      key: 'public',
    });
    expect(connectors.json).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'hubspot' })]));
    const available = await call(emulator, 'GET', pathOf('v2', env, 'availableConnectors'));
    expect(available.status).toBe(200);
    expect(Array.isArray(available.json)).toBe(true);
  });

  it('jobs: v1 run, v2 run, list, latest, status, schedule get/put/delete', async () => {
    const jobs = pathOf(env, v1, tenant, 'jobs');
    const run = await call(emulator, 'POST', jobs, {
      body: { job: { job_name: 'widget-style' }, tap: 'salesforce' },
    });
    expect(run.status).toBe(200);
    const job = run.json as Record<string, string>;
    expect(job).toMatchObject({
      job_name: 'widget-style',
      tenant,
      flow_id: v1,
      env_id: env,
      status: 'JOB_CREATED',
    });
    expect(job.s3_root).toMatch(new RegExp(`^${tenant}/flows/${v1}/jobs/\\d{4}/\\d{2}/\\d/\\d{2}/\\d{2}/`));
    expect(job.s3_root!.endsWith(`/${job.job_id}`)).toBe(true);

    const docStyle = await call(emulator, 'POST', jobs, {
      body: { job_name: 'doc-style', override_start_date: 'x' },
    });
    expect(docStyle.json).toMatchObject({ job_name: 'doc-style', override_start_date: 'x' });

    const v2run = await call(emulator, 'POST', pathOf('v2', env, v2, tenant, 'jobs'), {
      body: { connector_id: 'salesforce', job_type: 'read' },
    });
    expect(v2run.json).toMatchObject({ connector_id: 'salesforce', job_type: 'READ', flow_id: v2 });
    expect((await call(emulator, 'POST', pathOf('v2', env, v2, tenant, 'jobs'), { body: {} })).status).toBe(
      400,
    );

    const list = await call(emulator, 'GET', jobs);
    expect((list.json as Array<{ job_name: string }>).map((j) => j.job_name)).toEqual([
      'doc-style',
      'widget-style',
    ]);
    expect((await call(emulator, 'GET', `${jobs}/latest`)).json).toMatchObject({ job_name: 'doc-style' });
    const status = await call(emulator, 'GET', `${jobs}/status`, { query: { job_root: job.s3_root! } });
    expect(status.json).toMatchObject({ job_id: job.job_id, s3_root: job.s3_root, flow: v1 });
    expect((await call(emulator, 'GET', `${jobs}/status`)).status).toBe(400);
    expect((await call(emulator, 'GET', `${jobs}/status`, { query: { job_root: 'nope' } })).status).toBe(404);

    const schedule = `${jobs}/schedule`;
    expect((await call(emulator, 'GET', schedule)).json).toEqual({});
    const put = await call(emulator, 'PUT', schedule, { body: { schedule_expression: 'cron(0 0 * * *)' } });
    expect(put).toMatchObject({ status: 200, json: {} });
    // The stored request fields plus the names the widget reads (ScheduleExpression, State).
    expect((await call(emulator, 'GET', schedule)).json).toEqual({
      schedule_expression: 'cron(0 0 * * *)',
      state: 'ENABLED',
      ScheduleExpression: 'cron(0 0 * * *)',
      State: 'ENABLED',
    });
    expect((await call(emulator, 'PUT', schedule, { body: {} })).status).toBe(400);
    expect((await call(emulator, 'DELETE', schedule)).json).toEqual({});
    expect((await call(emulator, 'GET', schedule)).json).toEqual({});
  });

  it('tenants: list (with filter) and config (404 "no config for the tenant" without one)', async () => {
    const list = await call(emulator, 'GET', pathOf('tenants', env));
    // Tenant id strings, as hotglue's own code reads this route.
    expect(list.json).toEqual(expect.arrayContaining(['acme', 'beta']));
    expect((await call(emulator, 'GET', pathOf('tenants', env), { query: { tenant: 'beta' } })).json).toEqual(
      ['beta'],
    );
    expect((await call(emulator, 'GET', pathOf('tenant', env, 'acme', 'config'))).json).toEqual({
      mapping: { a: 1 },
    });
    const none = await call(emulator, 'GET', pathOf('tenant', env, 'beta', 'config'));
    expect(none.status).toBe(404);
    expect((none.json as { Message: string }).Message).toContain('no config for the tenant');
  });

  it('POST connect returns a magic link and validates its body', async () => {
    const ok = await call(emulator, 'POST', pathOf(env, 'connect'), {
      body: { tenant, type: 'connectors', flow: v2, entityId: 'salesforce' },
    });
    expect(ok.status).toBe(200);
    expect((ok.json as { url: string }).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/magic-link\//);
    expect(
      (await call(emulator, 'POST', pathOf(env, 'connect'), { body: { tenant, type: 'flows' } })).status,
    ).toBe(400);
  });

  it('POST magicLink (the API reference form) answers { url, expiresAt } and keeps every field nullable', async () => {
    const dated = await call(emulator, 'POST', pathOf(env, 'magicLink'), {
      body: { tenant, flow: v1, entityId: null, type: null, expiresAt: '2031-01-02T03:04:05Z', options: {} },
    });
    expect(dated.status).toBe(200);
    expect(dated.json).toEqual({
      url: expect.stringMatching(/\/magic-link\//),
      expiresAt: '2031-01-02T03:04:05.000Z',
    });
    const plain = await call(emulator, 'POST', pathOf(env, 'magicLink'), { body: { tenant } });
    expect(plain.json).toMatchObject({ expiresAt: null });
    const bad = await call(emulator, 'POST', pathOf(env, 'magicLink'), {
      body: { tenant, expiresAt: 'soon' },
    });
    expect(bad.status).toBe(400);
    expect((await call(emulator, 'POST', pathOf(env, 'magicLink'), { body: {} })).status).toBe(400);
    expect(
      (await call(emulator, 'POST', pathOf(env, 'magicLink'), { key: 'public', body: { tenant } })).status,
    ).toBe(403);
  });

  it('connector access token with include_properties', async () => {
    const path = pathOf(env, v2, tenant, 'connectors', 'salesforce', 'accesstoken');
    const res = await call(emulator, 'GET', path, {
      query: { include_properties: 'refresh_token,expires_in' },
    });
    expect(res.json).toEqual({ success: true, access_token: 'at-1', refresh_token: 'rt-1', expires_in: 60 });
    const missing = await call(emulator, 'GET', pathOf(env, v2, tenant, 'connectors', 'nope', 'accesstoken'));
    expect(missing.status).toBe(404);
  });

  it('real-time write reports its one record in the documented shape', async () => {
    const path = pathOf(env, v2, tenant, 'connectors', 'salesforce', 'contacts');
    const res = await call(emulator, 'POST', path, { body: { data: { id: 1 } } });
    expect(res.status).toBe(200);
    // The docs' shape: summary inside state, logs a string, no top-level summary.
    expect(res.json).toMatchObject({
      async: false,
      state: {
        bookmarks: { contacts: [{ success: true }] },
        summary: { contacts: { success: 1, fail: 0, existing: 0, updated: 0 } },
      },
      logs: expect.any(String),
    });
    expect(res.json).not.toHaveProperty('summary');
    expect((await call(emulator, 'POST', path, { body: {} })).status).toBe(400);
    const array = await call(emulator, 'POST', path, { body: { data: [{ id: 1 }] } });
    expect(array.status).toBe(400);
    expect((array.json as { Message: string }).Message).toContain('data must be a JSON object');
  });

  it('unknown paths, environments and flows are 404 NotFoundError; a wrong method 405', async () => {
    expect((await call(emulator, 'GET', '/nothing/here')).json).toMatchObject({ Code: 'NotFoundError' });
    expect((await call(emulator, 'GET', pathOf('other.env', v1, tenant, 'linkedSources'))).status).toBe(404);
    expect((await call(emulator, 'GET', pathOf(env, 'noflow', tenant, 'linkedSources'))).status).toBe(404);
    expect((await call(emulator, 'PUT', pathOf(env, v1, tenant, 'linkedSources'))).status).toBe(405);
    const badJson = await request400(emulator);
    expect(badJson).toBe(400);
  });
});

async function request400(emulator: HotglueEmulator): Promise<number> {
  const { request } = await import('undici');
  const res = await request(`${emulator.url}${pathOf(emulator.envId, emulator.defaultFlowId, 'x', 'jobs')}`, {
    method: 'POST',
    headers: { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' },
    body: '{not json',
  });
  await res.body.text();
  return res.statusCode;
}
