import { afterEach, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, fakeClock, pathOf, signToken } from './emulator-helpers.js';
import { sendWidgetCall, TOKEN_ROWS, WIDGET_CALLS, type WidgetCallContext } from './widget-calls.js';

/** The emulator against every call hotglue's widget makes (see docs/hotglue-reference.md). */
describe('HotglueEmulator answers hotglue’s widget', () => {
  const key = generateTestSigningKey();
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start(options: ConstructorParameters<typeof HotglueEmulator>[0] = {}) {
    const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], ...options });
    cleanup.push(() => emulator.close());
    // What the widget needs linked for its per-entity rows.
    emulator.linkSource(undefined, 't1', { tap: 'pipedrive', config: { api_token: 'x' } });
    emulator.linkTarget(undefined, 't1', { target: 'target-postgres' });
    emulator.linkConnector(undefined, 't1', { id: 'pipedrive' });
    const ctx: WidgetCallContext = {
      env: emulator.envId,
      v1: emulator.defaultFlowId,
      v2: emulator.defaultV2FlowId,
      tenant: 't1',
    };
    return { emulator, ctx };
  }

  it("answers all 48 widget endpoints with 200, JSON and CORS for any origin under requireJwt 'widget', the token where the widget sends it", async () => {
    const { emulator, ctx } = await start({ requireJwt: 'widget' });
    const token = await signToken(key.privateKey, 't1');
    expect(new Set(WIDGET_CALLS.map((c) => c.row)).size).toBe(48);
    const failures: unknown[] = [];
    for (const widgetCall of WIDGET_CALLS) {
      const result = await sendWidgetCall(emulator, widgetCall, ctx, token);
      if (widgetCall.row === 24) ctx.jobRoot = (result.json as { s3_root: string }).s3_root;
      if (result.status !== 200 || result.json === undefined || result.allowOrigin === null)
        failures.push(result);
    }
    expect(failures).toEqual([]);
  });

  /** The rows refused 401 `{ Code, Message }` when sent without a token. */
  async function refusedWithoutToken(requireJwt: true | 'widget'): Promise<number[]> {
    const { emulator, ctx } = await start({ requireJwt });
    // A job root for row 26, from a secret-key run (the public key alone may not start one under `true`).
    const run = await call(emulator, 'POST', pathOf(ctx.env, ctx.v1, ctx.tenant, 'jobs'), {
      key: 'secret',
      body: { tap: 'pipedrive' },
    });
    ctx.jobRoot = (run.json as { s3_root: string }).s3_root;
    const refused: number[] = [];
    for (const widgetCall of WIDGET_CALLS) {
      const result = await sendWidgetCall(emulator, widgetCall, ctx, undefined);
      if (result.status === 401) {
        refused.push(widgetCall.row);
        expect(result.json).toEqual({ Code: 'UnauthorizedError', Message: expect.stringMatching(/token/i) });
      } else expect(result.status, `row ${widgetCall.row}`).toBe(200);
    }
    return refused.sort((a, b) => a - b);
  }

  it("requireJwt 'widget': requires the token on exactly the 11 rows that carry it, with { Code, Message } errors", async () => {
    expect(await refusedWithoutToken('widget')).toEqual(TOKEN_ROWS);
  });

  it('requireJwt true: requires the token on every row that names a tenant, and on no other', async () => {
    const ctx: WidgetCallContext = { env: 'E', v1: 'F1', v2: 'F2', tenant: 'T1' };
    const naming = WIDGET_CALLS.filter((c) => /\/T1(\/|$)|user_id=T1/.test(c.path(ctx)))
      .map((c) => c.row)
      .sort((a, b) => a - b);
    expect(naming).toHaveLength(39);
    expect(naming).toEqual(expect.arrayContaining(TOKEN_ROWS));
    expect(await refusedWithoutToken(true)).toEqual(naming);
  });

  it('requireJwt true: the widget calls with a token for their tenant all answer 200', async () => {
    const { emulator, ctx } = await start({ requireJwt: true });
    const token = await signToken(key.privateKey, 't1');
    const failures: unknown[] = [];
    for (const widgetCall of WIDGET_CALLS) {
      // Every row, token appended as the widget appends it on its token rows.
      const result = await sendWidgetCall(emulator, { ...widgetCall, token: true }, ctx, token);
      if (widgetCall.row === 24) ctx.jobRoot = (result.json as { s3_root: string }).s3_root;
      if (result.status !== 200) failures.push(result);
    }
    expect(failures).toEqual([]);
  });

  it('checks a token wherever it is sent: expired or for another tenant is refused on token-optional rows too', async () => {
    const { emulator } = await start();
    const jobs = pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'jobs', 'latest');
    const other = await signToken(key.privateKey, 't2');
    const expired = await signToken(key.privateKey, 't1', { expiresIn: -600 });
    const asOther = await call(emulator, 'GET', jobs, { key: 'public', query: { token: other } });
    expect(asOther).toMatchObject({ status: 403, json: { Code: 'ForbiddenError' } });
    const late = await call(emulator, 'GET', jobs, { key: 'public', query: { token: expired } });
    expect(late).toMatchObject({ status: 401, json: { Code: 'UnauthorizedError' } });
  });

  it('answers preflights from any origin with 200, the widget headers and a Max-Age', async () => {
    const { emulator } = await start();
    const response = await fetch(`${emulator.url}/${emulator.envId}/preferences`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'content-type,x-api-key',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-allow-headers')).toMatch(/x-api-key/);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
    expect(response.headers.get('access-control-allow-methods')).toMatch(/PATCH/);
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(5);
  });

  it('renders for the widget: primaryColor and a system font, flows without type, local icons, linked tenant_id', async () => {
    const { emulator } = await start();
    const prefs = (await call(emulator, 'GET', pathOf(emulator.envId, 'preferences'), { key: 'public' }))
      .json as {
      uiPreferences: { primaryColor: string; fontFamily: string };
    };
    expect(prefs.uiPreferences.primaryColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(prefs.uiPreferences.fontFamily).not.toMatch(/Circular/);
    const flows = (await call(emulator, 'GET', pathOf(emulator.envId, 'flows', 'supported'))).json as Array<
      Record<string, unknown>
    >;
    const v1 = flows.find((flow) => flow.id === emulator.defaultFlowId)!;
    expect(v1.type).toBeUndefined();
    expect(v1.widgetOptions).toMatchObject({ allowRunJobs: true });
    expect(flows.find((flow) => flow.id === emulator.defaultV2FlowId)).toMatchObject({ version: 2 });
    const sources = (
      await call(emulator, 'GET', `${pathOf(emulator.envId, emulator.defaultFlowId, 'supportedSources')}?`, {
        key: 'public',
      })
    ).json as Array<Record<string, unknown>>;
    // Nothing the widget loads leaves loopback: icons are data: URIs, OAuth popups open on the emulator.
    for (const source of sources) expect(String(source.icon)).toMatch(/^data:image\/svg\+xml/);
    for (const flow of flows) expect(String(flow.flowIcon)).toMatch(/^data:image\/svg\+xml/);
    const oauth = sources.filter((source) => source.type === 'oauth');
    expect(oauth.length).toBeGreaterThanOrEqual(2);
    for (const source of oauth)
      expect(String(source.tap_url)).toMatch(new RegExp(`^${emulator.url}/_oauth/authorize\\?`));
    // The first API-key source's required fields are free text, password or number (the widget blocks a
    // submit with an empty required select); anything else in its form is optional.
    const apiKey = sources.find((source) => source.type !== 'oauth' && source.connect_ui_params)!;
    const fields = Object.values(
      apiKey.connect_ui_params as Record<string, { type?: string; required?: boolean }>,
    );
    expect(fields.filter((f) => f.required !== false).length).toBeGreaterThan(0);
    for (const field of fields.filter((f) => f.required !== false)) {
      expect(['text', 'password', 'number']).toContain(field.type ?? 'text');
    }
    const token = await signToken(key.privateKey, 't1');
    const linked = (
      await call(emulator, 'GET', pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'linkedSources'), {
        key: 'public',
        query: { config: 'true', token },
      })
    ).json as Array<Record<string, unknown>>;
    expect(linked).toEqual([
      expect.objectContaining({ tap: 'pipedrive', tenant_id: 't1', config: { api_token: 'x' } }),
    ]);
  });
});

describe('HotglueEmulator keeps widget state', () => {
  const key = generateTestSigningKey();
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('jobs started like the widget progress through statuses on jobs/status, jobs/latest and history', async () => {
    const clock = fakeClock();
    const emulator = await HotglueEmulator.start({
      jwtPublicKeys: [key.publicKey],
      clock: clock.now,
      requireJwt: false,
    });
    cleanup.push(() => emulator.close());
    emulator.linkSource(undefined, 't1', { tap: 'hubspot' });
    const base = pathOf(emulator.envId, emulator.defaultFlowId, 't1', 'jobs');
    expect((await call(emulator, 'GET', `${base}/latest?`, { key: 'public' })).json).toEqual({});
    const run = (
      await call(emulator, 'POST', base, {
        key: 'public',
        body: { job: { job_name: 'emuFlowV1-hubspot-261130-030000' }, tap: 'hubspot' },
      })
    ).json as { s3_root: string; job_id: string };
    expect(run.s3_root.startsWith('t1/')).toBe(true);
    const status = async () =>
      (
        (await call(emulator, 'GET', `${base}/status`, { key: 'public', query: { job_root: run.s3_root } }))
          .json as {
          status: string;
        }
      ).status;
    expect(await status()).toBe('JOB_CREATED');
    clock.advance(60_000);
    expect(await status()).toBe('JOB_COMPLETED');
    const latest = await call(emulator, 'GET', `${base}/latest`, {
      key: 'public',
      query: { entity_id: 'hubspot', entity_type: 'source' },
    });
    expect(latest.json).toMatchObject({
      job_id: run.job_id,
      flow_id: emulator.defaultFlowId,
      status: 'JOB_COMPLETED',
    });
    const history = (await call(emulator, 'GET', `${base}?`, { key: 'public' })).json as Array<{
      job_id: string;
    }>;
    expect(history.map((job) => job.job_id)).toEqual([run.job_id]);
  });

  it('keeps schedules, field maps, discover results, mapping, metadata and uploaded files', async () => {
    const clock = fakeClock();
    const emulator = await HotglueEmulator.start({
      jwtPublicKeys: [key.publicKey],
      clock: clock.now,
      requireJwt: false,
    });
    cleanup.push(() => emulator.close());
    emulator.linkSource(undefined, 't1', { tap: 'pipedrive' });
    const flowTenant = [emulator.envId, emulator.defaultFlowId, 't1'];

    await call(emulator, 'PUT', pathOf(...flowTenant, 'jobs', 'schedule'), {
      key: 'public',
      body: { state: 'ENABLED', schedule_expression: 'cron(0 6 * * ? *)' },
    });
    expect(
      (await call(emulator, 'GET', pathOf(...flowTenant, 'jobs', 'schedule'), { key: 'public' })).json,
    ).toMatchObject({
      ScheduleExpression: 'cron(0 6 * * ? *)',
      State: 'ENABLED',
    });

    const linked = pathOf(...flowTenant, 'linkedSources');
    await call(emulator, 'PATCH', linked, {
      key: 'public',
      body: { tap: 'pipedrive', field_map: { contacts: ['email'] } },
    });
    await call(emulator, 'GET', `${linked}/discover`, { key: 'public', query: { tap_name: 'pipedrive' } });
    const poll = () =>
      call(emulator, 'GET', `${linked}/discover/poll`, { key: 'public', query: { tap_name: 'pipedrive' } });
    expect((await poll()).json).toEqual({ status: 'RUNNING' });
    clock.advance(5_000);
    expect((await poll()).json).toEqual({ status: 'STOPPED' });
    const item = (
      (await call(emulator, 'GET', linked, { query: { catalog: 'true' } })).json as Array<
        Record<string, unknown>
      >
    )[0]!;
    expect(item.fieldMap).toEqual({ contacts: ['email'] });
    expect((item.catalog as { streams: unknown[] }).streams.length).toBeGreaterThan(0);

    const mapping = pathOf('tenant', emulator.envId, 't1', 'mapping');
    await call(emulator, 'PUT', mapping, {
      key: 'public',
      body: { config: { mapping: { a: 'b' } }, entityType: 'taps', entityId: 'pipedrive' },
    });
    expect((await call(emulator, 'GET', mapping, { key: 'public' })).json).toEqual({
      mapping: { a: 'b' },
      source_data: {},
    });
    const metadata = await call(emulator, 'PUT', pathOf('tenant', emulator.envId, 't1', 'metadata'), {
      key: 'public',
      body: { config: { metadata: { plan: 'pro' } } },
    });
    expect(metadata).toMatchObject({ status: 200, json: {} });

    const files = `${emulator.url}${pathOf(...flowTenant, 'taps', 'file')}`;
    const form = new FormData();
    form.append('a.csv', new Blob(['id\n1\n'], { type: 'text/csv' }), 'a.csv');
    form.append('b.json', new Blob(['[]'], { type: 'application/json' }), 'b.json');
    const upload = await fetch(files, {
      method: 'POST',
      headers: { 'x-api-key': emulator.publicApiKey },
      body: form,
    });
    expect(upload.status).toBe(200);
    const listed = (await (
      await fetch(files, { headers: { 'x-api-key': emulator.publicApiKey } })
    ).json()) as Array<{
      name: string;
      size: number;
    }>;
    expect(listed.map((f) => [f.name, f.size])).toEqual([
      ['a.csv', 5],
      ['b.json', 2],
    ]);
    const garbage = await fetch(files, {
      method: 'POST',
      headers: { 'x-api-key': emulator.publicApiKey, 'content-type': 'multipart/form-data; boundary=x' },
      body: 'not multipart',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ Code: 'BadRequestError' });
    await fetch(files, { method: 'DELETE', headers: { 'x-api-key': emulator.publicApiKey } });
    expect(await (await fetch(files, { headers: { 'x-api-key': emulator.publicApiKey } })).json()).toEqual(
      [],
    );
  });

  it('entity/{env}/{tenant}/linked lists the flows where an entity is linked, [] otherwise', async () => {
    const emulator = await HotglueEmulator.start({ requireJwt: false });
    cleanup.push(() => emulator.close());
    emulator.linkSource(undefined, 't1', { tap: 'hubspot' });
    const path = pathOf('entity', emulator.envId, 't1', 'linked');
    const hubspot = await call(emulator, 'GET', path, { key: 'public', query: { entity: 'hubspot' } });
    expect((hubspot.json as Array<{ id: string }>).map((flow) => flow.id)).toEqual([emulator.defaultFlowId]);
    expect((await call(emulator, 'GET', path, { key: 'public', query: { entity: 'csv' } })).json).toEqual([]);
  });
});
