import { afterEach, describe, expect, it } from 'vitest';
import type { HotglueConnectionEvent, HotglueWebhookEvent } from '../../src/hotglue/index.js';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, fakeClock, pathOf } from '../emulator/emulator-helpers.js';
import { expectNoLeak } from '../support/leaks.js';
import { CANARY_SECRET, startWebhookApp, type WebhookTestApp } from './webhook-harness.js';

let app: WebhookTestApp | undefined;
let emulator: HotglueEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  await app?.close();
  if (app) expectNoLeak(app.output.text(), [CANARY_SECRET], 'logs');
  app = undefined;
  emulator = undefined;
});

async function setup(options: { clock?: () => number } = {}) {
  app = await startWebhookApp('express');
  const lines: string[] = [];
  emulator = await HotglueEmulator.start({
    ...options,
    webhook: { url: `${app.url}/hotglue/webhooks`, secret: CANARY_SECRET },
    logger: (line) => lines.push(line),
  });
  return { app, emulator, lines };
}

const kinds = (events: Array<{ event: HotglueWebhookEvent }>) =>
  events.map(({ event }) =>
    event.kind === 'job'
      ? `job:${event.status}`
      : event.kind === 'discover'
        ? `discover:${event.status}`
        : event.kind,
  );

describe('emulator webhook deliveries into the kit, end to end', () => {
  it('sends connection events for links created, updated and removed, any tap name included', async () => {
    const { app, emulator } = await setup();
    emulator.linkSource(undefined, 'acme', {
      tap: 'tap-nobody-knows',
      config: { access_token: CANARY_SECRET },
    });
    emulator.linkSource(undefined, 'acme', { tap: 'tap-nobody-knows', label: 'again' });
    emulator.linkTarget(undefined, 'acme', { target: 'target-csv' });
    emulator.linkConnector(undefined, 'acme', { id: 'conn-1' });
    const del = await call(
      emulator,
      'DELETE',
      pathOf(emulator.envId, emulator.defaultFlowId, 'acme', 'linkedSources'),
      {
        query: { tap_name: 'tap-nobody-knows' },
      },
    );
    expect(del.status).toBe(200);
    await emulator.advanceJobs();
    const events = app.handler.events.map((e) => e.event as HotglueConnectionEvent);
    expect(events.map((e) => [e.kind, e.entity, e.action, e.entityId, e.tenantId])).toEqual([
      ['connection', 'source', 'created', 'tap-nobody-knows', 'acme'],
      ['connection', 'source', 'updated', 'tap-nobody-knows', 'acme'],
      ['connection', 'target', 'created', 'target-csv', 'acme'],
      ['connection', 'connector', 'created', 'conn-1', 'acme'],
      ['connection', 'source', 'removed', 'tap-nobody-knows', 'acme'],
    ]);
    expect(events[3]!.flowId).toBe(emulator.defaultV2FlowId);
    expect(JSON.stringify(events)).not.toContain(CANARY_SECRET);
    expect(emulator.webhookDeliveries.every((d) => d.status === 200 && d.signature === 'valid')).toBe(true);
  });

  it('a job for a tenant with nothing linked completes; job and discover events arrive in order, once', async () => {
    const clock = fakeClock(Date.now());
    const { app, emulator } = await setup({ clock: clock.now });
    const run = await call(
      emulator,
      'POST',
      pathOf(emulator.envId, emulator.defaultFlowId, 'nobody', 'jobs'),
      { body: {} },
    );
    expect(run.status).toBe(200);
    clock.advance(60_000);
    await emulator.advanceJobs();
    expect(kinds(app.handler.events)).toEqual([
      'job:JOB_CREATED',
      'job:DISCOVER_STARTED',
      'discover:DISCOVER_STARTED',
      'job:SYNC_STARTED',
      'discover:DISCOVER_SUCCESS',
      'job:SYNC_SUCCESS',
      'job:ETL_STARTED',
      'job:ETL_SUCCESS',
      'job:EXPORT_STARTED',
      'job:JOB_COMPLETED',
    ]);
    expect(app.handler.events.at(-1)!.event).toMatchObject({
      kind: 'job',
      tenantId: 'nobody',
      status: 'JOB_COMPLETED',
    });
    expect(emulator.jobs()[0]).toMatchObject({ status: 'JOB_COMPLETED' });
    // hotglue's example job payloads carry the task that ran the job (docs/webhooks.md).
    const jobBodies = emulator.webhookDeliveries.filter((d) => d.subscription === 'job').map((d) => d.body);
    expect(jobBodies.length).toBeGreaterThan(0);
    for (const body of jobBodies)
      expect(body).toMatchObject({ task_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('faults: a duplicate is processed once, a bad signature is refused, out-of-order statuses are each processed once', async () => {
    const { app, emulator } = await setup();
    emulator.injectWebhookFault('duplicate');
    emulator.linkSource(undefined, 't1', { tap: 'dup' });
    emulator.injectWebhookFault('bad-signature');
    emulator.linkSource(undefined, 't1', { tap: 'forged' });
    emulator.injectWebhookFault('out-of-order');
    emulator.linkSource(undefined, 't1', { tap: 'first' });
    emulator.linkSource(undefined, 't1', { tap: 'second' });
    await emulator.advanceJobs();

    const deliveries = emulator.webhookDeliveries.map((d) => [
      d.body.tap,
      d.fault ?? '-',
      d.signature,
      d.status,
    ]);
    expect(deliveries).toEqual([
      ['dup', 'duplicate', 'valid', 200],
      ['dup', 'duplicate', 'valid', 200],
      ['forged', 'bad-signature', 'invalid', 401],
      ['second', '-', 'valid', 200],
      ['first', 'out-of-order', 'valid', 200],
    ]);
    const taps = app.handler.events.map(({ event }) => (event as HotglueConnectionEvent).entityId);
    expect(taps).toEqual(['dup', 'second', 'first']);
  });

  it('setWebhook points a running emulator at a receiver; only the chosen subscriptions are sent', async () => {
    app = await startWebhookApp('fastify');
    emulator = await HotglueEmulator.start();
    emulator.linkSource(undefined, 'x', { tap: 'before' });
    emulator.setWebhook({
      url: `${app.url}/hotglue/webhooks`,
      secret: CANARY_SECRET,
      subscriptions: ['connection'],
    });
    emulator.linkSource(undefined, 'x', { tap: 'after' });
    await call(emulator, 'POST', pathOf(emulator.envId, emulator.defaultFlowId, 'x', 'jobs'), { body: {} });
    await emulator.advanceJobs();
    expect(app.handler.events.map(({ event }) => event.kind)).toEqual(['connection']);
  });
});
