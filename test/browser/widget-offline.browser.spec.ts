/**
 * Local mode with no reachable npm registry and no widget file yet: the sample still starts, the demo page
 * says how to get hotglue's widget, and the script route answers 404 instead of serving anything else.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBanner, type SpawnedSample, spawnSample } from '../sample/spawn-sample.js';
import { guardedContext, launchChromium, screenshot, skipBrowser } from './browser-harness.js';

/** A loopback port nothing listens on (bound, then released), so npm's registry fetch is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.skipIf(skipBrowser)('demo page without a registry and without the widget file', () => {
  let sample: SpawnedSample;
  let browser: Browser;
  let url: string;
  let banner: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'hg-offline-'));
    sample = spawnSample(['--import', 'tsx', 'src/main.ts'], {
      PORT: '0',
      APP_LOCAL_DIR: join(root, '.local'),
      APP_WIDGET_DIR: join(root, 'widget'),
      // npm's own configuration: an unreachable registry, no retries, an empty cache.
      npm_config_registry: `http://127.0.0.1:${await closedPort()}/`,
      npm_config_fetch_retries: '0',
      npm_config_cache: join(root, 'npm-cache'),
      npm_config_offline: 'false',
    });
    banner = await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 120_000);
    ({ url } = parseBanner(banner));
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  it('starts anyway and the page says how to get the widget', async () => {
    expect(banner).toMatch(/hotglue widget\s+not available: could not fetch @hotglue\/widget@1\.4\.63/);
    const script = await fetch(`${url}/demo/hotglue-widget.js`);
    expect(script.status).toBe(404);
    const guarded = await guardedContext(browser);
    const page = await guarded.context.newPage();
    await page.goto(`${url}/`);
    await page
      .getByTestId('status')
      .filter({ hasText: 'Ready (without the widget)' })
      .waitFor({ timeout: 15_000 });
    const message = await page.getByTestId('widget-status').textContent();
    expect(message).toMatch(/not available/);
    expect(message).toContain('npm pack @hotglue/widget@1.4.63');
    expect(await page.getByTestId('connect').isDisabled()).toBe(true);
    expect(guarded.outside).toEqual([]);
    expect(guarded.problems).toEqual([]);
    await screenshot(page, 'widget-offline');
    await guarded.context.close();
  }, 60_000);
});
