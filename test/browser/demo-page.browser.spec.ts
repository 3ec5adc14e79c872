import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBanner, type SpawnedSample, spawnSample } from '../sample/spawn-sample.js';
import { guardedContext, launchChromium, screenshot, skipBrowser } from './browser-harness.js';

// In CI a missing chromium is a failure, not a skip.
describe.skipIf(skipBrowser)('demo page in Chromium against `npm start` (local mode)', () => {
  let sample: SpawnedSample;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    const localDir = join(mkdtempSync(join(tmpdir(), 'hg-browser-')), '.local');
    sample = spawnSample(['--import', 'tsx', 'src/main.ts'], { PORT: '0', APP_LOCAL_DIR: localDir });
    ({ url } = parseBanner(await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 60_000)));
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  it("shows tenant demo, the backend's linked sources and the widget, under a CSP the widget fits", async () => {
    const guarded = await guardedContext(browser);
    const page = await guarded.context.newPage();
    const tokenResponse = page.waitForResponse((response) => response.url().endsWith('/hotglue/token'));
    const response = await page.goto(`${url}/`);

    // Local mode only: an opener policy that lets the widget watch its OAuth popup; scripts from self only.
    const headers = response!.headers();
    expect(headers['cross-origin-opener-policy']).toBe('same-origin-allow-popups');
    expect(headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(headers['content-security-policy']).not.toMatch(/unsafe-eval/);

    await page
      .getByTestId('status')
      .filter({ hasText: 'Ready: widget mounted' })
      .waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('tenant').textContent()).toBe('demo');
    // The panel is the backend's answer (GET /hotglue/linked-sources), not a browser call to hotglue.
    expect(await page.getByTestId('sources').textContent()).toContain('Salesforce (demo) (salesforce)');
    expect(await page.getByTestId('countdown').textContent()).toMatch(/^\d{2}:\d{2}$/);
    expect(await page.locator('#widget-snippet').textContent()).toContain(
      "HotGlue.open('demo', { jwtToken: token, multipleSources: true,",
    );
    expect(await page.getByTestId('connect').isEnabled()).toBe(true);

    // The full token is never rendered in the page.
    const token = ((await (await tokenResponse).json()) as { token: string }).token;
    expect(await page.content()).not.toContain(token);
    expect(guarded.problems).toEqual([]);
    expect(guarded.outside).toEqual([]);

    expect(existsSync(await screenshot(page, 'sample-demo-page'))).toBe(true);
    await guarded.context.close();
  }, 60_000);

  it('links an OAuth source first, in a fresh widget: the consent popup opens and the link completes', async () => {
    // A fresh page and nothing linked through the widget yet: HubSpot is the first card clicked. Widget 1.4.63
    // throws here if the listener has `onPopupOpen` (it reads the entity a form or copy screen selects).
    const guarded = await guardedContext(browser);
    const page = await guarded.context.newPage();
    await page.goto(`${url}/`);
    await page
      .getByTestId('status')
      .filter({ hasText: 'Ready: widget mounted' })
      .waitFor({ timeout: 15_000 });
    const widget = page.locator('[role=dialog]');
    await page.getByTestId('connect').click();
    await widget.getByText('Emulator source flow').click();
    await widget.getByText('Search Source').waitFor();

    const popupOpened = guarded.context.waitForEvent('page', { timeout: 15_000 });
    await widget.locator('#SupportedSourceCard', { hasText: 'HubSpot' }).click();
    const popup = await popupOpened;
    await popup.getByTestId('consent-tenant').waitFor();
    expect(await popup.getByTestId('consent-tenant').textContent()).toBe('demo');
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Allow' }).click();
    await closed;

    const events = page.getByTestId('events');
    await events.locator('[data-event=onSourceLinked]', { hasText: 'hubspot' }).waitFor();
    expect(await events.locator('[data-event=onPopupClose]', { hasText: 'hubspot' }).count()).toBe(1);
    await page.getByTestId('sources').locator('[data-tap=hubspot]').waitFor();
    await widget.locator('#LinkedSourceCard', { hasText: 'HubSpot' }).waitFor();
    expect(guarded.problems).toEqual([]);
    expect(guarded.outside).toEqual([]);
    await guarded.context.close();
  }, 90_000);

  it('renders the OpenAPI docs under the same CSP without violations', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/docs`);
    await page.getByText('/hotglue/token').first().waitFor({ timeout: 15_000 });
    expect(problems.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
    await page.close();
  }, 60_000);

  it('fetches a new token before the current one expires', async () => {
    const page = await browser.newPage();
    // The page's clock only: jump past the scheduled refresh (3/4 of the remaining lifetime).
    await page.clock.install();
    await page.goto(`${url}/`);
    await page.getByTestId('status').filter({ hasText: 'Ready' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#fetch-count').textContent()).toBe('1');
    const refreshed = page.waitForResponse((response) => response.url().endsWith('/hotglue/token'));
    await page.clock.fastForward('46:00');
    expect((await refreshed).status()).toBe(200);
    await page.getByTestId('status').filter({ hasText: 'Token refreshed' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('#fetch-count').textContent()).toBe('2');
    await page.close();
  }, 60_000);
});
