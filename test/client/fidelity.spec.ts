import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueArgumentError, type HotglueClient } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createClient } from './client-harness.js';
import { json, startScriptedServer } from './scripted-server.js';

/**
 * The shapes hotglue's docs show and the methods it documents, client against
 * the real emulator over loopback HTTP. Sources are named per case; docs/client.md lists them.
 */
let emu: HotglueEmulator;
let client: HotglueClient;
let tenantClient: HotglueClient;
const closers: Array<() => Promise<void>> = [];
let F1: string;
let F2: string;

beforeAll(async () => {
  const key = generateTestSigningKey();
  emu = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], requireJwt: true });
  F1 = emu.defaultFlowId;
  F2 = emu.defaultV2FlowId;
  const base = {
    envId: emu.envId,
    publicApiKey: emu.publicApiKey,
    secretApiKey: emu.secretApiKey,
    flowId: F1,
    signingKey: key.privateKeyBase64,
    http: { maxAttempts: 1 },
  };
  const secret = await createClient(emu.url, base);
  client = secret.client;
  closers.push(secret.close);
  const tenant = await createClient(emu.url, { ...base, secretApiKey: undefined });
  tenantClient = tenant.client;
  closers.push(tenant.close);
});

afterAll(async () => {
  for (const close of closers) await close();
  await emu.close();
});

beforeEach(() => emu.clearRequests());

describe('real-time write (https://docs.hotglue.com/api-reference/real-time/write)', () => {
  it('resolves to the documented shape: summary inside state, logs a string', async () => {
    emu.linkConnector(F2, 'rt', { id: 'hubspot', config: {} });
    const result = await client.writeRecords(
      'rt',
      'hubspot',
      'Contact',
      { data: { email: 'a@b.c' } },
      { flowId: F2 },
    );
    expect(result.state?.summary?.Contact).toEqual({ success: 1, fail: 0, existing: 0, updated: 0 });
    expect(result.state?.bookmarks?.Contact).toEqual([expect.objectContaining({ success: true })]);
    expect(typeof result.logs).toBe('string');
    expect(result).not.toHaveProperty('summary');
    expect(result.async).toBe(false);
    expect(typeof result.taskId).toBe('string');
  });

  it.each([
    ['an array', [{ email: 'a@b.c' }]],
    ['a string', 'a@b.c'],
    ['null', null],
    ['missing', undefined],
  ])(
    'data as %s rejects with HotglueArgumentError naming data, before anything is sent',
    async (_what, data) => {
      const body = (data === undefined ? {} : { data }) as never;
      const error = await client.writeRecords('rt', 'hubspot', 'Contact', body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HotglueArgumentError);
      expect((error as HotglueArgumentError).argument).toBe('data');
      expect((error as Error).message).toMatch(/^data: must be one JSON object/);
      expect(emu.requests).toHaveLength(0);
    },
  );
});

describe('getWriteStatus (https://docs.hotglue.com/api-reference/real-time/status)', () => {
  it('polls an async write: hasData false until the emulator finished it, then its result', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z');
    const key = generateTestSigningKey();
    const clocked = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], clock: () => now });
    const { client: c, close } = await createClient(clocked.url, {
      envId: clocked.envId,
      publicApiKey: clocked.publicApiKey,
      secretApiKey: clocked.secretApiKey,
      signingKey: key.privateKeyBase64,
      flowId: clocked.defaultFlowId,
      http: { maxAttempts: 1 },
    });
    try {
      const write = await c.writeRecords('acme', 'hubspot', 'Contact', { data: { id: 1 }, async: true });
      expect(write).toMatchObject({ async: true, taskId: expect.any(String) });
      expect(write.state).toBeUndefined();
      await expect(c.getWriteStatus('acme', write.taskId!)).resolves.toEqual({
        hasData: false,
        result: null,
      });
      now += 60_000;
      const status = await c.getWriteStatus('acme', write.taskId!);
      expect(status.hasData).toBe(true);
      expect(status.result).toMatchObject({
        jobId: write.jobId,
        taskId: write.taskId,
        state: { summary: { Contact: { success: 1, fail: 0 } } },
        status_code: 200,
      });
      // The same task id from another tenant is unknown there.
      await expect(c.getWriteStatus('other', write.taskId!)).resolves.toEqual({
        hasData: false,
        result: null,
      });
      const [request] = clocked.requests.filter((r) => r.path.endsWith('/connectors/status'));
      expect(request!.query).toEqual({ taskId: write.taskId });
    } finally {
      await close();
      await clocked.close();
    }
  });

  it('works in tenant mode with the tenant token, and refuses an empty task id before sending', async () => {
    const status = await tenantClient.getWriteStatus('acme', 'no-such-task', { auth: 'tenant' });
    expect(status).toEqual({ hasData: false, result: null });
    expect(emu.requests[0]).toMatchObject({ keyKind: 'public', token: 'valid' });
    const error = await client.getWriteStatus('acme', '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueArgumentError);
    expect((error as HotglueArgumentError).argument).toBe('taskId');
    expect(emu.requests).toHaveLength(1);
  });
});

describe('createMagicLink (https://docs.hotglue.com/api-reference/manage-tenants/create-magic-link.md)', () => {
  it('posts to /{env}/magicLink with expiresAt as ISO 8601 and resolves expiresAt to a Date', async () => {
    const at = new Date('2031-05-06T07:08:09.000Z');
    const link = await client.createMagicLink({ tenant: 'acme', type: 'flows', flow: F1, expiresAt: at });
    expect(link.url).toMatch(/\/magic-link\//);
    expect(link.expiresAt).toBeInstanceOf(Date);
    expect(link.expiresAt!.toISOString()).toBe(at.toISOString());
    const [request] = emu.requests;
    expect(request).toMatchObject({ method: 'POST', path: `/${emu.envId}/magicLink`, keyKind: 'secret' });
  });

  it('takes an ISO string, sends only the tenant when that is all, and resolves expiresAt null without one', async () => {
    const fromString = await client.createMagicLink({
      tenant: 'acme',
      expiresAt: '2031-05-06T07:08:09+02:00',
    });
    expect(fromString.expiresAt!.toISOString()).toBe('2031-05-06T05:08:09.000Z');
    const plain = await client.createMagicLink({ tenant: 'acme' });
    expect(plain.expiresAt).toBeNull();
    expect(typeof plain.url).toBe('string');
  });

  it('refuses a bad expiresAt or an empty tenant before sending, and reports the emulator refusing a flows link without flow', async () => {
    for (const [body, argument] of [
      [{ tenant: 'acme', expiresAt: 'next tuesday' }, 'expiresAt'],
      [{ tenant: 'acme', expiresAt: new Date(Number.NaN) }, 'expiresAt'],
      [{ tenant: '' }, 'tenant'],
    ] as const) {
      const error = await client.createMagicLink(body).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HotglueArgumentError);
      expect((error as HotglueArgumentError).argument).toBe(argument);
    }
    expect(emu.requests).toHaveLength(0);
    const refused = await client.createMagicLink({ tenant: 'acme', type: 'flows' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 400, hotglueMessage: 'Missing required field: flow' });
  });
});

describe('triggerDiscover / pollDiscover (V2 linkedConnectors/discover)', () => {
  it('starts a discover, polls RUNNING then not RUNNING, and the emulator sends DISCOVER_STARTED then DISCOVER_SUCCESS', async () => {
    const received: unknown[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    let now = Date.parse('2026-03-02T10:00:00Z');
    const key = generateTestSigningKey();
    const clocked = await HotglueEmulator.start({
      jwtPublicKeys: [key.publicKey],
      clock: () => now,
      webhook: {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
        subscriptions: ['discover'],
      },
    });
    const { client: c, close } = await createClient(clocked.url, {
      envId: clocked.envId,
      publicApiKey: clocked.publicApiKey,
      secretApiKey: undefined,
      signingKey: key.privateKeyBase64,
      flowId: clocked.defaultV2FlowId,
      http: { maxAttempts: 1 },
    });
    try {
      clocked.linkConnector(undefined, 'acme', { id: 'hubspot', config: {} });
      await expect(c.pollDiscover('acme', 'hubspot')).resolves.toEqual({ status: null });
      await expect(c.triggerDiscover('acme', 'hubspot')).resolves.toMatchObject({ status: 'RUNNING' });
      await expect(c.pollDiscover('acme', 'hubspot')).resolves.toEqual({ status: 'RUNNING' });
      await clocked.advanceJobs();
      now += 60_000;
      const done = await c.pollDiscover('acme', 'hubspot');
      expect(done.status).not.toBe('RUNNING');
      await clocked.advanceJobs();
      const events = received as Array<Record<string, unknown>>;
      expect(events.map((e) => e.event)).toEqual(['DISCOVER_STARTED', 'DISCOVER_SUCCESS']);
      for (const event of events) {
        expect(event).toMatchObject({
          tenant: 'acme',
          flow_id: clocked.defaultV2FlowId,
          connector_id: 'hubspot',
        });
      }
      // Tenant mode (the only mode of a client without a secret key) sends the tenant's token on both routes.
      const calls = clocked.requests.filter((r) => r.path.includes('/linkedConnectors/discover'));
      expect(calls.map((r) => r.path.endsWith('/poll'))).toEqual([true, false, true, true]);
      for (const r of calls) {
        expect(r).toMatchObject({ keyKind: 'public', token: 'valid' });
        expect(r.query.connector_id).toBe('hubspot');
      }
    } finally {
      await close();
      await clocked.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('rejects an unlinked connector with the 404 and an empty connector id before sending', async () => {
    await expect(client.triggerDiscover('acme', 'nope', { flowId: F2 })).rejects.toMatchObject({
      status: 404,
    });
    const error = await client.pollDiscover('acme', '', { flowId: F2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueArgumentError);
    expect((error as HotglueArgumentError).argument).toBe('connectorId');
    expect(emu.requests).toHaveLength(1);
  });
});

describe('V1 linked source state (getLinkedSourceState / deleteLinkedSourceState)', () => {
  it('reads the state a job left, resets it, and reads it empty again, in both modes', async () => {
    emu.linkSource(F1, 'st', { tap: 'salesforce', config: {} });
    const state = { bookmarks: { Account: { replication_key_value: '2026-01-01' } } };
    await client.runJob('st', { tap: 'salesforce', state });
    await expect(client.getLinkedSourceState('st', 'salesforce')).resolves.toEqual(state);
    await expect(tenantClient.getLinkedSourceState('st', 'salesforce', { auth: 'tenant' })).resolves.toEqual(
      state,
    );
    await tenantClient.deleteLinkedSourceState('st', 'salesforce', { auth: 'tenant' });
    await expect(client.getLinkedSourceState('st', 'salesforce')).resolves.toEqual({ bookmarks: {} });
    const stateCalls = emu.requests.filter((r) => r.path === `/${emu.envId}/${F1}/st/linkedSources/state`);
    expect(stateCalls.map((r) => [r.method, r.keyKind, r.token, r.query.tap_name])).toEqual([
      ['GET', 'secret', 'absent', 'salesforce'],
      ['GET', 'public', 'valid', 'salesforce'],
      ['DELETE', 'public', 'valid', 'salesforce'],
      ['GET', 'secret', 'absent', 'salesforce'],
    ]);
  });

  it('rejects a source that is not linked with the 404, and an empty tap before sending', async () => {
    await expect(client.getLinkedSourceState('st', 'nope')).rejects.toMatchObject({ status: 404 });
    const error = await client.deleteLinkedSourceState('st', '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueArgumentError);
    expect((error as HotglueArgumentError).argument).toBe('tap');
    expect(emu.requests).toHaveLength(1);
  });

  it('the emulator refuses the GET with the public key and no token (requireJwt)', async () => {
    const res = await fetch(`${emu.url}/${emu.envId}/${F1}/st/linkedSources/state?tap_name=salesforce`, {
      headers: { 'x-api-key': emu.publicApiKey },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ Code: 'UnauthorizedError' });
  });
});

describe('listJobs with count', () => {
  it('returns at most count jobs, newest first, and sends count', async () => {
    for (const name of ['one', 'two', 'three']) await client.runJob('jobs-tenant', { job_name: name });
    const two = await client.listJobs('jobs-tenant', { count: 2 });
    expect(two.map((j) => j.job_name)).toEqual(['three', 'two']);
    expect((await client.listJobs('jobs-tenant')).map((j) => j.job_name)).toEqual(['three', 'two', 'one']);
    const lists = emu.requests.filter((r) => r.method === 'GET');
    expect(lists.map((r) => r.query)).toEqual([{ count: '2' }, {}]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses count %s before sending', async (count) => {
    const error = await client.listJobs('jobs-tenant', { count }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueArgumentError);
    expect((error as HotglueArgumentError).argument).toBe('count');
    expect(emu.requests).toHaveLength(0);
  });
});

describe('jobs/status flow (https://docs.hotglue.com/api-reference/jobs/poll-job-status.md)', () => {
  it('the emulator answers the flow id as a string, and the client passes it on', async () => {
    const job = await client.runJob('flow-tenant', { job_name: 'f' });
    const status = await client.getJobStatus('flow-tenant', job.s3_root!);
    expect(status.flow).toBe(F1);
  });

  it.each([
    ['a string', 'l8odS2mce', 'l8odS2mce'],
    ['an { id, name } object', { id: 'l8odS2mce', name: 'Salesforce sync' }, 'l8odS2mce'],
    ['an object without an id', { name: 'x' }, undefined],
  ])('accepts flow as %s from hotglue and exposes the flow id', async (_what, flow, expected) => {
    const server = await startScriptedServer((_req, res) =>
      json(res, 200, { job_id: 'j', status: 'JOB_COMPLETED', flow }),
    );
    const { client: c, close } = await createClient(server.url, { http: { maxAttempts: 1 } });
    try {
      const status = await c.getJobStatus('t', 't/flows/f/jobs/x');
      expect(status.flow).toBe(expected);
      expect(status.job_id).toBe('j');
      const waited = await c.waitForJob('t', 't/flows/f/jobs/x');
      expect(waited.flow).toBe(expected);
    } finally {
      await close();
      await server.close();
    }
  });
});

describe('schedule state casing (reference: ENABLED/DISABLED; guide: "disabled")', () => {
  it('sends lower case as upper case, and the emulator keeps it upper case', async () => {
    await client.updateSchedule('sched', { schedule_expression: 'cron(0 0 * * ? *)', state: 'disabled' });
    expect(emu.requests[0]!.method).toBe('PUT');
    const schedule = await client.getSchedule('sched');
    expect(schedule).toMatchObject({ state: 'DISABLED', State: 'DISABLED' });
  });

  it('the emulator accepts either case from a raw caller and refuses another value', async () => {
    const put = (state: string) =>
      fetch(`${emu.url}/${emu.envId}/${F1}/sched/jobs/schedule`, {
        method: 'PUT',
        headers: { 'x-api-key': emu.secretApiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ schedule_expression: 'cron(0 0 * * ? *)', state }),
      });
    expect((await put('enabled')).status).toBe(200);
    await expect(client.getSchedule('sched')).resolves.toMatchObject({ state: 'ENABLED' });
    expect((await put('Disabled')).status).toBe(200);
    await expect(client.getSchedule('sched')).resolves.toMatchObject({ state: 'DISABLED' });
    expect((await put('paused')).status).toBe(400);
  });
});

describe('access tokens for taps and targets as well as V2 connectors (hotglue SDK passes TAP or TARGET)', () => {
  it.each([
    [
      'a V1 tap',
      (e: HotglueEmulator) =>
        e.linkSource(F1, 'tok', {
          tap: 'salesforce',
          config: { access_token: 'at-src', refresh_token: 'rt-src' },
        }),
      'salesforce',
      'at-src',
    ],
    [
      'a V1 target',
      (e: HotglueEmulator) =>
        e.linkTarget(F1, 'tok', {
          target: 'hubspot-target',
          config: { access_token: 'at-tgt', refresh_token: 'rt-tgt' },
        }),
      'hubspot-target',
      'at-tgt',
    ],
  ])('getConnectorAccessToken and getConnectorCredentials work for %s', async (_what, link, id, token) => {
    link(emu);
    const raw = await client.getConnectorAccessToken('tok', id, { includeProperties: ['refresh_token'] });
    expect(raw).toMatchObject({ success: true, access_token: token });
    const credentials = await client.getConnectorCredentials('tok', id, { fresh: true });
    expect(credentials.accessToken).toBe(token);
    expect(emu.requests.every((r) => r.path === `/${emu.envId}/${F1}/tok/connectors/${id}/accesstoken`)).toBe(
      true,
    );
  });
});

describe("s3_root's week segment (week of the month, weeks starting Monday)", () => {
  it("a job started on 2022-01-19 gets …/jobs/2022/01/4/19/15/…, as in the docs' example", async () => {
    const clocked = await HotglueEmulator.start({ clock: () => Date.parse('2022-01-19T15:12:00Z') });
    const { client: c, close } = await createClient(clocked.url, {
      envId: clocked.envId,
      secretApiKey: clocked.secretApiKey,
      flowId: clocked.defaultFlowId,
    });
    try {
      const job = await c.runJob('default', { job_name: 'doc' });
      expect(job.s3_root).toBe(`default/flows/${clocked.defaultFlowId}/jobs/2022/01/4/19/15/${job.job_id}`);
    } finally {
      await close();
      await clocked.close();
    }
  });
});
