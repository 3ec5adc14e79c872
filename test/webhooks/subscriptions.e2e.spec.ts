import { afterEach, describe, expect, it } from 'vitest';
import type { HotglueWebhookEvent } from '../../src/hotglue/index.js';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, fakeClock, pathOf } from '../emulator/emulator-helpers.js';
import { expectNoLeak } from '../support/leaks.js';
import { type AdapterName, jobBody, sign, startWebhookApp, type WebhookTestApp } from './webhook-harness.js';

/** One canary secret per subscription, as hotglue's dashboard gives each webhook its own. */
const SECRETS = {
  job: 'whsec-JOB-CANARY-0a1b2c3d4e5f60718293-do-not-log',
  discover: 'whsec-DISCOVER-CANARY-a9b8c7d6e5f4-do-not-log',
  connection: 'whsec-CONNECTION-CANARY-1f2e3d4c5b6a-do-not-log',
} as const;
const ALL = Object.values(SECRETS);

let app: WebhookTestApp | undefined;
let emulator: HotglueEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  await app?.close();
  if (app) expectNoLeak(app.output.text(), ALL, 'logs');
  app = undefined;
  emulator = undefined;
});

const kindOf = (event: HotglueWebhookEvent) =>
  event.kind === 'job' || event.kind === 'discover' ? `${event.kind}:${event.status}` : event.kind;

/** Runs one job to completion and makes one link change: every subscription sends at least once. */
async function everySubscription(target: HotglueEmulator, clock: ReturnType<typeof fakeClock>) {
  const run = await call(target, 'POST', pathOf(target.envId, target.defaultFlowId, 'acme', 'jobs'), {
    body: {},
  });
  expect(run.status).toBe(200);
  clock.advance(60_000);
  target.linkSource(undefined, 'acme', { tap: 'tap-x' });
  await target.advanceJobs();
}

describe.each<AdapterName>(['express', 'fastify'])('per-subscription webhook secrets (%s)', (adapter) => {
  it('accepts each subscription signed with its own secret, each sent to its own URL', async () => {
    app = await startWebhookApp(adapter, { secrets: SECRETS });
    const route = `${app.url}/hotglue/webhooks`;
    const clock = fakeClock(Date.now());
    emulator = await HotglueEmulator.start({
      clock: clock.now,
      webhook: {
        // Three URLs, as the dashboard allows: the query tells them apart in `webhookDeliveries` only.
        job: { url: `${route}?s=job`, secret: SECRETS.job },
        discover: { url: `${route}?s=discover`, secret: SECRETS.discover },
        connection: { url: `${route}?s=connection`, secret: SECRETS.connection },
      },
    });
    await everySubscription(emulator, clock);

    const deliveries = emulator.webhookDeliveries;
    expect(new Set(deliveries.map((d) => d.subscription))).toEqual(
      new Set(['job', 'discover', 'connection']),
    );
    for (const delivery of deliveries) {
      expect(delivery.url).toBe(`${route}?s=${delivery.subscription}`);
      expect([delivery.subscription, delivery.status]).toEqual([delivery.subscription, 200]);
    }
    const kinds = app.handler.events.map(({ event }) => kindOf(event));
    expect(kinds).toContain('job:JOB_COMPLETED');
    expect(kinds).toContain('job:DISCOVER_STARTED');
    expect(kinds).toContain('discover:DISCOVER_SUCCESS');
    expect(kinds).toContain('connection');
    expect(kinds).toHaveLength(deliveries.length);
  });

  it("refuses (401) every subscription signed with another subscription's secret, and processes none", async () => {
    app = await startWebhookApp(adapter, { secrets: SECRETS });
    const route = `${app.url}/hotglue/webhooks`;
    const clock = fakeClock(Date.now());
    // A rotated dashboard: every subscription signs with the secret of the next one.
    emulator = await HotglueEmulator.start({
      clock: clock.now,
      webhook: {
        jobs: { url: route, secret: SECRETS.connection },
        discover: { url: route, secret: SECRETS.job },
        connection: { url: route, secret: SECRETS.discover },
      },
    });
    await everySubscription(emulator, clock);

    const deliveries = emulator.webhookDeliveries;
    expect(new Set(deliveries.map((d) => d.subscription))).toEqual(
      new Set(['job', 'discover', 'connection']),
    );
    expect(deliveries.every((d) => d.signature === 'valid' && d.status === 401)).toBe(true);
    expect(app.handler.events).toEqual([]);
    expect(app.output.text()).toContain('wrong-subscription');
  });

  it('a raw connection body signed with the job secret is 401; the same body with its own secret is 200', async () => {
    app = await startWebhookApp(adapter, { secrets: SECRETS });
    const body = JSON.stringify({
      event: 'LINKED_SOURCE_REMOVED',
      env_id: 'dev.example.hotglue.xyz',
      flow_id: 'flowA',
      tenant: 'tenant-1',
      tap: 'salesforce',
      timestamp: new Date().toISOString(),
    });
    expect((await app.post(body, { 'x-hub-signature': sign(body, SECRETS.job) })).status).toBe(401);
    expect((await app.post(body, { 'x-hub-signature': sign(body, SECRETS.discover) })).status).toBe(401);
    expect(app.handler.events).toEqual([]);
    const ok = await app.post(body, { 'x-hub-signature': sign(body, SECRETS.connection) });
    expect(ok.status).toBe(200);
    expect(app.handler.events.map(({ event }) => event.kind)).toEqual(['connection']);

    const job = JSON.stringify(jobBody());
    expect((await app.post(job, { 'x-hub-signature': sign(job, SECRETS.connection) })).status).toBe(401);
    expect((await app.post(job, { 'x-hub-signature': sign(job, SECRETS.job) })).status).toBe(200);
    // Wrong secret, non-JSON: still 401 (nothing is parsed before a secret verifies it).
    expect((await app.post('not json', { 'x-hub-signature': sign('not json', 'nope') })).status).toBe(401);
    expect((await app.post('not json', { 'x-hub-signature': sign('not json', SECRETS.job) })).status).toBe(
      400,
    );
    const text = `${app.output.text()}`;
    for (const secret of ALL) expect(text).not.toContain(secret);
  });
});

describe('per-subscription webhook secrets: fallbacks', () => {
  it('secret covers the subscriptions secrets leaves out; a subscription with neither is refused', async () => {
    const shared = 'whsec-SHARED-CANARY-77665544332211-do-not-log';
    app = await startWebhookApp('express', { secret: shared, secrets: { connection: SECRETS.connection } });
    const job = JSON.stringify(jobBody());
    const link = JSON.stringify({ event: 'LINKED_TARGET_CREATED', flow_id: 'f', tenant: 't', target: 'csv' });
    expect((await app.post(job, { 'x-hub-signature': sign(job, shared) })).status).toBe(200);
    expect((await app.post(link, { 'x-hub-signature': sign(link, shared) })).status).toBe(401);
    expect((await app.post(link, { 'x-hub-signature': sign(link, SECRETS.connection) })).status).toBe(200);
    await app.close();

    app = await startWebhookApp('express', { secrets: { job: SECRETS.job } });
    const discover = JSON.stringify({ event: 'DISCOVER_SUCCESS', flow_id: 'f', tenant: 't', tap: 'x' });
    expect((await app.post(job, { 'x-hub-signature': sign(job, SECRETS.job) })).status).toBe(200);
    expect((await app.post(discover, { 'x-hub-signature': sign(discover, SECRETS.job) })).status).toBe(401);
    expect(app.output.text()).toMatch(/No webhook secret for the discover and connection subscriptions/);
  });

  it('secrets naming one secret for all three works like secret; the documented job example is processed', async () => {
    app = await startWebhookApp('express', {
      secrets: { job: SECRETS.job, discover: SECRETS.job, connection: SECRETS.job },
    });
    // hotglue's own example (https://docs.hotglue.com/environment-settings/webhooks), pretty-printed as
    // hotglue's docs show it: the signature covers these exact bytes.
    const example = JSON.stringify(
      {
        job_id: '16FzN',
        env_id: 'dev.dummy.hotglue.xyz',
        flow_id: 'l8odS2mce',
        job_name: 'test_job:kr8J8ks-u',
        tenant: 'default',
        started_by: 'default',
        s3_root: 'default/flows/l8odS2mce/jobs/16FzN',
        start_time: '2020-12-30T20:29:21.614299+00:00',
        state: {},
        tap: 'quickbooks:sandbox',
        status: 'JOB_COMPLETED',
        task_id: 'dab752626e3944db960b7c9cc9ab3a25',
        last_updated: new Date().toISOString(), // the docs' 2020 time would be a stale replay
      },
      null,
      2,
    );
    const res = await app.post(example, { 'x-hub-signature': sign(example, SECRETS.job) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'processed' });
    expect(app.handler.jobs).toEqual([
      expect.objectContaining({ kind: 'job', jobId: '16FzN', tenantId: 'default', status: 'JOB_COMPLETED' }),
    ]);
    expect(app.output.text()).not.toMatch(/No webhook secret/);
  });

  it('the emulator keeps { url, secret } for all three subscriptions, and refuses keys it does not know', async () => {
    await expect(
      HotglueEmulator.start({ webhook: { jobz: { url: 'http://127.0.0.1:9/x' } } as never }),
    ).rejects.toThrow(/webhook keys are job, discover and connection/);
    await expect(HotglueEmulator.start({ webhook: { jobs: { url: 'ftp://127.0.0.1/x' } } })).rejects.toThrow(
      /webhook\.jobs\.url must be an absolute http\(s\) URL/,
    );
    const shared = 'whsec-SHARED-CANARY-99887766554433-do-not-log';
    app = await startWebhookApp('express', { secret: shared });
    emulator = await HotglueEmulator.start({
      webhook: { url: `${app.url}/hotglue/webhooks`, secret: shared },
    });
    emulator.linkSource(undefined, 'acme', { tap: 'tap-y' });
    await emulator.advanceJobs();
    expect(emulator.webhookDeliveries.map((d) => [d.subscription, d.status])).toEqual([['connection', 200]]);
  });
});
