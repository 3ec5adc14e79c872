/**
 * hotglue's real widget (`@hotglue/widget@1.4.63`, `dist/hotglue.js`, fetched by local mode into `.local/`)
 * on the demo page of `npm start`, driven in Debian's chromium against the in-process emulator. Every
 * request to a non-loopback host is aborted and counted; the steps share one page, in order.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBanner, type SpawnedSample, spawnSample } from '../sample/spawn-sample.js';
import {
  type GuardedContext,
  guardedContext,
  launchChromium,
  screenshot,
  skipBrowser,
} from './browser-harness.js';

const STEP_TIMEOUT = 60_000;

describe.skipIf(skipBrowser)("hotglue's real widget on the demo page, against the emulator", () => {
  let sample: SpawnedSample;
  let browser: Browser;
  let guarded: GuardedContext;
  let page: Page;
  let appUrl: string;
  let bearer: string;
  let emulatorUrl: string;
  let localDir: string;
  /** Responses to the emulator during the deliberate expired-token step (allowed to be 401). */
  let expiredStep: { from: number; to: number } | undefined;

  const widget = () => page.locator('[role=dialog]');
  const events = () => page.getByTestId('events');

  /** What the backend reports, through the app's own auth. */
  async function backendLinkedSources(): Promise<string[]> {
    const response = await fetch(`${appUrl}/hotglue/linked-sources`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { linkedSources: Array<{ tap: string }> };
    return body.linkedSources.map((source) => source.tap).sort();
  }

  /** Quick actions are rows of text with a round icon button: click the row's button. */
  async function quickAction(description: string): Promise<void> {
    await widget()
      .getByText(description)
      .locator('xpath=ancestor::*[.//button][1]')
      .getByRole('button')
      .first()
      .click();
  }

  /** `HotGlue.close()`, as a host app would call it; resolves once the dialog is gone. */
  async function closeWidget(): Promise<void> {
    if ((await widget().count()) === 0) return;
    await page.evaluate(() => (globalThis as unknown as { HotGlue: { close(): void } }).HotGlue.close());
    await widget().waitFor({ state: 'detached' });
  }

  async function openWidget(): Promise<void> {
    await closeWidget();
    await page.getByTestId('connect').click();
    await widget().getByText('Emulator source flow').waitFor();
  }

  async function openSourceFlow(): Promise<void> {
    await widget().getByText('Emulator source flow').click();
    await widget().getByText('Search Source').waitFor();
  }

  beforeAll(async () => {
    localDir = join(mkdtempSync(join(tmpdir(), 'hg-widget-')), '.local');
    sample = spawnSample(['--import', 'tsx', 'src/main.ts'], { PORT: '0', APP_LOCAL_DIR: localDir });
    const banner = await sample.waitFor(/Try it:[\s\S]*curl[^\n]*\n/, 150_000);
    ({ url: appUrl, bearer } = parseBanner(banner));
    emulatorUrl = /Emulator\s+(http:\/\/\S+)/.exec(banner)![1]!;
    expect(banner).toMatch(/hotglue widget\s+\S+hotglue-widget-1\.4\.63\.js/);
    browser = await launchChromium();
    guarded = await guardedContext(browser);
    page = await guarded.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  it(
    'mounts the widget with the session settings and opens it for tenant demo',
    async () => {
      await page.goto(`${appUrl}/`);
      await page.getByTestId('status').filter({ hasText: 'Ready: widget mounted' }).waitFor();
      expect(await page.getByTestId('tenant').textContent()).toBe('demo');
      expect(await page.getByTestId('countdown').textContent()).toMatch(/^\d{2}:\d{2}$/);
      expect(await page.locator('#widget-snippet').textContent()).toContain(
        "HotGlue.open('demo', { jwtToken: token",
      );
      await openWidget();
      await widget().getByText('CONNECTED').waitFor();
      await events().locator('[data-event=onWidgetOpen]').first().waitFor();
      await screenshot(page, 'widget-01-open');
    },
    STEP_TIMEOUT,
  );

  it(
    "shows the tenant's seeded linked source in the connected flow",
    async () => {
      await openSourceFlow();
      await widget().locator('#LinkedSourceCard', { hasText: 'Salesforce (demo)' }).waitFor();
      expect(await widget().locator('#LinkedSourceCard').count()).toBe(1);
      expect(await backendLinkedSources()).toEqual(['salesforce']);
      await screenshot(page, 'widget-02-linked-source');
    },
    STEP_TIMEOUT,
  );

  it(
    "links an API-key source through the widget's form and the backend sees it",
    async () => {
      await widget().locator('#SupportedSourceCard', { hasText: 'Pipedrive' }).click();
      await widget().getByLabel('API token').fill('pd-demo-token');
      await widget().getByLabel('Company domain').fill('acme');
      await widget().getByLabel('Days of history to sync').fill('30');
      await screenshot(page, 'widget-03-api-key-form');
      await widget().getByRole('button', { name: 'Connect your data' }).click();
      await events().locator('[data-event=onSourceLinked]', { hasText: 'pipedrive' }).waitFor();
      await page.getByTestId('sources').locator('[data-tap=pipedrive]').waitFor();
      expect(await backendLinkedSources()).toEqual(['pipedrive', 'salesforce']);
      // An API-key source has no OAuth token to call the provider with: no "Call its API", a reason instead.
      const pipedrive = page.getByTestId('sources').locator('[data-tap=pipedrive]');
      expect(await pipedrive.locator('button').count()).toBe(0);
      expect(await pipedrive.textContent()).toContain('An API-key source');
      expect(await page.getByTestId('sources').locator('[data-tap=salesforce] button').textContent()).toBe(
        'Call its API',
      );
      await widget().locator('#LinkedSourceCard', { hasText: 'Pipedrive' }).waitFor();
      await screenshot(page, 'widget-04-api-key-linked');
    },
    STEP_TIMEOUT,
  );

  it(
    'links an OAuth source through the emulated consent popup',
    async () => {
      const popupOpened = guarded.context.waitForEvent('page');
      await widget().locator('#SupportedSourceCard', { hasText: 'HubSpot' }).click();
      const popup = await popupOpened;
      await popup.getByTestId('consent-tenant').waitFor();
      expect(new URL(popup.url()).origin).toBe(emulatorUrl);
      expect(await popup.getByTestId('consent-tenant').textContent()).toBe('demo');
      await screenshot(popup, 'widget-05-oauth-consent');
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Allow' }).click();
      await closed;
      await events().locator('[data-event=onSourceLinked]', { hasText: 'hubspot' }).waitFor();
      await page.getByTestId('sources').locator('[data-tap=hubspot]').waitFor();
      expect(await backendLinkedSources()).toEqual(['hubspot', 'pipedrive', 'salesforce']);
      await widget().locator('#LinkedSourceCard', { hasText: 'HubSpot' }).waitFor();
      // The seed's loop: the backend fetched the new credentials and called the (emulated) provider.
      await page.locator('[data-testid=profile][data-tap=hubspot][data-status="200"]').waitFor();
      expect(await page.getByTestId('profile').textContent()).toMatch(/^hubspot: /);
      // hotglue's connection webhook reached the backend, signed and processed once.
      await page
        .getByTestId('hotglue-events')
        .locator('[data-kind=connection]', { hasText: 'created source hubspot' })
        .waitFor();
      await screenshot(page, 'widget-06-oauth-linked');
    },
    STEP_TIMEOUT,
  );

  it(
    'reconnects the OAuth source through the consent popup again',
    async () => {
      await widget().locator('#LinkedSourceCard', { hasText: 'HubSpot' }).click();
      const popupOpened = guarded.context.waitForEvent('page');
      await quickAction('Reconnect your HubSpot account.');
      const popup = await popupOpened;
      await popup.getByRole('button', { name: 'Allow' }).waitFor();
      expect(await popup.getByRole('heading').first().textContent()).toMatch(/^Reconnect HubSpot/);
      const closed = popup.waitForEvent('close');
      await popup.getByRole('button', { name: 'Allow' }).click();
      await closed;
      await events().locator('[data-event=onReconnect]').first().waitFor();
      await events().locator('[data-event=onSourceLinked]', { hasText: 'hubspot' }).nth(1).waitFor();
      expect(await backendLinkedSources()).toEqual(['hubspot', 'pipedrive', 'salesforce']);
      await screenshot(page, 'widget-06b-oauth-reconnected');
      await openWidget();
      await openSourceFlow();
    },
    STEP_TIMEOUT,
  );

  it(
    'unlinks a source from its quick actions',
    async () => {
      await widget().locator('#LinkedSourceCard', { hasText: 'Pipedrive' }).click();
      await quickAction('Unlink your Pipedrive account.');
      await events().locator('[data-event=onSourceUnlinked]', { hasText: 'pipedrive' }).waitFor();
      await expect.poll(backendLinkedSources).toEqual(['hubspot', 'salesforce']);
      await page.getByTestId('sources').locator('[data-tap=pipedrive]').waitFor({ state: 'detached' });
      await widget().getByText('Search Source').waitFor();
      expect(await widget().locator('#LinkedSourceCard', { hasText: 'Pipedrive' }).count()).toBe(0);
      await screenshot(page, 'widget-07-unlinked');
    },
    STEP_TIMEOUT,
  );

  it(
    'runs a job from the widget and shows its "Last synced" state',
    async () => {
      await widget().getByText('Search Source').waitFor();
      await widget().locator('#LinkedSourceCard', { hasText: 'HubSpot' }).click();
      await quickAction('Run a job to sync your data with HubSpot.');
      await events().locator('[data-event=onStartJob]').first().waitFor();
      // The emulator completes a job after seven steps of its clock; read its status as the widget does.
      const [env, flow] = [/env (\S+)\)/.exec(sample.output())![1]!, 'emuFlowV1'];
      await expect
        .poll(
          async () => {
            const session = (await (await fetch(`${appUrl}/demo/session`, { method: 'POST' })).json()) as {
              widget: { publicApiKey: string };
            };
            const response = await fetch(`${emulatorUrl}/${env}/${flow}/demo/jobs/latest?`, {
              headers: { 'x-api-key': session.widget.publicApiKey },
            });
            return ((await response.json()) as { status?: string }).status;
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe('JOB_COMPLETED');
      // The page's job row follows the job's webhooks to its final status: one row per job, not one per status.
      const jobRow = page.getByTestId('hotglue-events').locator('[data-kind=job][data-status=JOB_COMPLETED]');
      await jobRow.first().waitFor({ timeout: 15_000 });
      const jobId = await jobRow.first().getAttribute('data-job-id');
      expect(await page.getByTestId('hotglue-events').locator(`[data-job-id="${jobId}"]`).count()).toBe(1);
      // Re-open (a fresh token each time): the linked cards fetch jobs/latest again.
      await openWidget();
      await openSourceFlow();
      await widget()
        .getByLabel(/Last synced at/)
        .first()
        .waitFor();
      await screenshot(page, 'widget-08-last-synced');
    },
    STEP_TIMEOUT,
  );

  it(
    'fails a widget call with an expired token and recovers when re-opened with a fresh one',
    async () => {
      const key = await importPKCS8(
        readFileSync(join(localDir, 'hotglue-dev-signing-key.pem'), 'utf8'),
        'RS256',
      );
      const past = Math.floor(Date.now() / 1000) - 600;
      const expired = await new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setSubject('demo')
        .setIssuedAt(past - 3600)
        .setExpirationTime(past)
        .sign(key);
      await closeWidget();
      const from = guarded.responsesTo(emulatorUrl).length;
      const refused = page.waitForResponse((r) => r.url().includes('/flows/linked') && r.status() === 401);
      await page.evaluate((token) => {
        (globalThis as unknown as { HotGlue: { open(t: string, o: object): void } }).HotGlue.open('demo', {
          jwtToken: token,
        });
      }, expired);
      await refused;
      expiredStep = { from, to: guarded.responsesTo(emulatorUrl).length };
      expect(await widget().getByText('Emulator source flow').count()).toBe(0);
      await screenshot(page, 'widget-09-expired-token');
      await openWidget();
      await widget().getByText('CONNECTED').waitFor();
      await screenshot(page, 'widget-10-recovered');
    },
    STEP_TIMEOUT,
  );

  it('made no outside request, raised no page error, and every widget call answered 200', () => {
    expect(guarded.outside).toEqual([]);
    const allowed = (text: string) => expiredStep !== undefined && /status of 401/.test(text);
    expect(guarded.problems.filter((problem) => !allowed(problem))).toEqual([]);
    const calls = guarded.responsesTo(emulatorUrl);
    expect(calls.length).toBeGreaterThan(20);
    const unexpected = calls.filter(
      (call, index) =>
        call.status !== 200 && !(expiredStep && index >= expiredStep.from && index < expiredStep.to),
    );
    expect(unexpected).toEqual([]);
    const script = guarded.responsesTo(appUrl).filter((call) => call.path === '/demo/hotglue-widget.js');
    expect(script.map((call) => call.status)).toEqual([200]);
  });
});
