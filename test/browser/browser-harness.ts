/** Shared parts of the browser specs: Debian's chromium, outside requests aborted and counted, problems kept. */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { REPO_ROOT } from '../sample/spawn-sample.js';

export const CHROMIUM = '/usr/bin/chromium';
/** Headless Debian Chromium without a sandbox or GPU (root in CI), kept from calling home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-output');

export const chromiumPresent = existsSync(CHROMIUM);
export const inCi = process.env.CI === 'true';
/** Skip locally without chromium (loudly); in CI a missing chromium fails the spec instead. */
export const skipBrowser = !chromiumPresent && !inCi;
if (skipBrowser) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! BROWSER TEST SKIPPED: ${CHROMIUM} is missing. Install it with: apt-get install -y chromium\n${'!'.repeat(78)}\n`,
  );
}

export async function launchChromium(): Promise<Browser> {
  if (!chromiumPresent)
    throw new Error(`CI=true and ${CHROMIUM} is missing: the browser test must run in CI.`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A browser context that only reaches loopback; everything else is aborted and recorded. */
export interface GuardedContext {
  readonly context: BrowserContext;
  /** URLs (origin and path only) of every aborted request to a non-loopback host. */
  readonly outside: string[];
  /** Uncaught page errors and console errors of every page of the context (popups included). */
  readonly problems: string[];
  /** Response status of every request to `origin`, in order (method, path, status). */
  responsesTo(origin: string): Array<{ method: string; path: string; status: number }>;
}

/** Opens a context whose pages may only talk to loopback. */
export async function guardedContext(browser: Browser): Promise<GuardedContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  const outside: string[] = [];
  const problems: string[] = [];
  const responses: Array<{ url: URL; method: string; status: number }> = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !LOOPBACK.has(url.hostname)) {
      outside.push(`${url.origin}${url.pathname}`);
      await route.abort('blockedbyclient');
      return;
    }
    await route.continue();
  });
  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      responses.push({
        url: new URL(response.url()),
        method: response.request().method(),
        status: response.status(),
      });
    });
  };
  context.on('page', watch);
  return {
    context,
    outside,
    problems,
    responsesTo: (origin) =>
      responses
        .filter((r) => r.url.origin === origin)
        .map((r) => ({
          method: r.method,
          // Tenant tokens never reach an assertion message.
          path: `${r.url.pathname}${r.url.search.replace(/token=[^&]*/g, 'token=[REDACTED]')}`,
          status: r.status,
        })),
  };
}

/** Writes a full-page screenshot under test-output/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
