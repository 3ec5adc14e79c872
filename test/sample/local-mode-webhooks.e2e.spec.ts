import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSample, runSample } from '../../src/sample/run-sample.js';
import { demoTenant } from './demo-tenant.js';
import { CapturedOutput } from './sample-test-app.js';

/** Local mode in-process: the emulator signs with a per-run secret and delivers to the sample's route. */
describe('local mode: emulator webhooks reach GET /hotglue/events', () => {
  const output = new CapturedOutput();
  let running: RunningSample;
  beforeAll(async () => {
    running = await runSample({
      env: { PORT: '0' },
      allowLocal: true,
      localDir: join(mkdtempSync(join(tmpdir(), 'hg-local-webhooks-')), '.local'),
      print: () => undefined,
      logger: output.logger,
    });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('a source linked the way the widget links it shows up as a connection event, then a job completes', async () => {
    const { auth, widgetCall } = await demoTenant(running.url);
    const linked = await widgetCall('linkedSources', {
      source: { tap: 'any-tap-at-all', config: { access_token: 'x' } },
    });
    expect(linked.status).toBe(200);
    const job = await widgetCall('jobs', {});
    expect(job.status).toBe(200);

    let events: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 200; i++) {
      events = (await (
        await fetch(`${running.url}/hotglue/events`, { headers: auth })
      ).json()) as typeof events;
      if (events.some((e) => e.status === 'JOB_CREATED')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'connection',
          action: 'created',
          entityId: 'any-tap-at-all',
          tenantId: 'demo',
        }),
        expect.objectContaining({ kind: 'job', status: 'JOB_CREATED', tenantId: 'demo' }),
      ]),
    );
    expect(JSON.stringify(events)).not.toContain('access_token');
    expect(output.text()).not.toMatch(/No webhook secret/);
  });
});
