import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTenant } from '../sample/demo-tenant.js';
import { parseBanner, type SpawnedSample, spawnSample } from '../sample/spawn-sample.js';
import { hasRedisServer, TestRedisServer } from '../support/redis-server.js';
import { guardedContext, launchChromium, screenshot, skipBrowser } from './browser-harness.js';

// In CI a missing chromium or redis-server fails instead (the harness and hasRedisServer throw there).
describe.skipIf(skipBrowser || !hasRedisServer())(
  'demo page in Chromium, sample in queue mode (HOTGLUE_WEBHOOK_QUEUE_REDIS_URL) on a real redis-server',
  () => {
    let redis: TestRedisServer;
    let sample: SpawnedSample;
    let browser: Browser;
    let url: string;
    /** The sample's queue, seen from outside: paused and resumed as an operator would. */
    let queue: Queue;

    beforeAll(async () => {
      redis = await TestRedisServer.start();
      const localDir = join(mkdtempSync(join(tmpdir(), 'hg-browser-queue-')), '.local');
      sample = spawnSample(['--import', 'tsx', 'src/main.ts'], {
        PORT: '0',
        APP_LOCAL_DIR: localDir,
        HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: redis.url,
      });
      ({ url } = parseBanner(await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000)));
      // The sample runs with the documented defaults: queue `deliveries` under the prefix `{hotglue-webhooks}`.
      queue = new Queue('deliveries', {
        prefix: '{hotglue-webhooks}',
        connection: { host: '127.0.0.1', port: redis.port },
      });
      browser = await launchChromium();
    }, 90_000);

    afterAll(async () => {
      await browser?.close();
      await queue?.close();
      await sample?.stop();
      await redis?.destroy();
    });

    it('shows a signed delivery queued while no worker takes it, then processed, then as an event', async () => {
      const guarded = await guardedContext(browser);
      const page = await guarded.context.newPage();
      await page.goto(`${url}/`);
      await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 15_000 });
      await page.getByTestId('webhook-queue').filter({ hasText: 'queue:' }).waitFor({ timeout: 10_000 });

      // Hold every worker (BullMQ's global pause): the delivery stays queued long enough to be seen.
      await queue.pause();

      // The emulator signs a connection event with the run's webhook secret and posts it to the sample,
      // which answers 2xx once Redis stored it: the link the widget makes, made here over HTTP.
      const { widgetCall } = await demoTenant(url);
      const linked = await widgetCall('linkedSources', {
        source: { tap: 'queued-tap', config: { access_token: 'canary-config' } },
      });
      expect(linked.status).toBe(200);

      const deliveries = page.getByTestId('webhook-deliveries');
      const queued = deliveries.locator('li[data-state=queued]');
      await queued.first().waitFor({ timeout: 15_000 });
      const id = await queued.first().getAttribute('data-delivery-id');
      expect(id).toMatch(/\S/);
      const row = deliveries.locator(`li[data-delivery-id="${id}"]`);
      expect(await row.textContent()).toContain(`delivery ${id}: queued`);
      // Not processed yet: the handler (the sample's event list) has not seen it.
      const events = page.getByTestId('hotglue-events');
      expect(await events.locator('[data-kind=connection]', { hasText: 'queued-tap' }).count()).toBe(0);
      await screenshot(page, 'sample-webhook-queued');

      await queue.resume();
      await row.and(page.locator('[data-state=processed]')).waitFor({ timeout: 15_000 });
      expect(await row.textContent()).toContain(`delivery ${id}: processed`);
      await events.locator('[data-kind=connection]', { hasText: 'queued-tap' }).waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('webhook-queue').textContent()).toMatch(/[1-9]\d* processed/);

      // Ids and states only: nothing of the body (the linked entity's config) reaches the page.
      expect(await page.content()).not.toContain('canary-config');
      expect(guarded.problems).toEqual([]);
      expect(guarded.outside).toEqual([]);
      await screenshot(page, 'sample-webhook-processed');
      await guarded.context.close();
    }, 90_000);
  },
);
