import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { readEmulatorSettings } from '../../src/cli/emulator-settings.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { pathOf, signToken } from './emulator-helpers.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * One raw HTTP/1.1 request to the emulator's socket with exactly the `Host` (or none) and headers given:
 * what a browser sends after DNS rebinding, `Host: evil.example:<port>`, cannot be made with fetch.
 */
function raw(
  emulator: HotglueEmulator,
  options: {
    method?: string;
    path: string;
    host?: string | null;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<Raw> {
  const url = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.host !== null) headers.host = options.host ?? url.host;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(
      {
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const key = generateTestSigningKey();
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function start(options: Parameters<typeof HotglueEmulator.start>[0] = {}) {
  const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], ...options });
  cleanup.push(() => emulator.close());
  return emulator;
}

const flowsPath = (emulator: HotglueEmulator) => `${pathOf(emulator.envId, 'flows', 'supported')}`;

/** The consent popup as the widget opens it, and its request id. */
async function openConsent(emulator: HotglueEmulator, tenant: string): Promise<string> {
  const state = {
    user_id: tenant,
    env_id: emulator.envId,
    flow: emulator.defaultFlowId,
    tap_name: 'salesforce',
    api_url: 'https://client-api.hotglue.xyz/tap/auth',
    api_key: emulator.publicApiKey,
  };
  const page = await raw(emulator, {
    path: `/_oauth/authorize?provider=salesforce&state=${encodeURIComponent(JSON.stringify(state))}`,
  });
  expect(page.status).toBe(200);
  expect(page.headers['referrer-policy']).toBe('same-origin');
  return /name="request" value="([^"]+)"/.exec(page.text)![1]!;
}

function decide(emulator: HotglueEmulator, request: string, headers: Record<string, string>, host?: string) {
  return raw(emulator, {
    method: 'POST',
    path: '/_oauth/consent',
    ...(host ? { host } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ request, decision: 'allow' }).toString(),
  });
}

async function linkedTaps(emulator: HotglueEmulator, tenant: string): Promise<string[]> {
  const token = await signToken(key.privateKey, tenant);
  const res = await raw(emulator, {
    path: `${pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources')}?token=${token}`,
    headers: { 'x-api-key': emulator.publicApiKey },
  });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as Array<{ tap: string }>).map((source) => source.tap);
}

describe('HotglueEmulator Host check (DNS rebinding)', () => {
  it('on loopback, refuses with 421 {Code, Message} any Host but a loopback name with its port', async () => {
    const emulator = await start();
    const port = new URL(emulator.url).port;
    const headers = { 'x-api-key': emulator.secretApiKey };
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      const ok = await raw(emulator, { path: flowsPath(emulator), host, headers });
      expect([host, ok.status]).toEqual([host, 200]);
    }
    const refused = [
      `evil.example:${port}`, // a rebound name
      `127.0.0.1.evil.example:${port}`,
      'localhost', // no port: 80, not the emulator's
      `localhost:${Number(port) + 1}`,
      `localhost:${port}@evil.example`,
      '',
    ];
    for (const host of refused) {
      const res = await raw(emulator, { path: flowsPath(emulator), host, headers });
      expect([host, res.status]).toEqual([host, 421]);
      const body = JSON.parse(res.text) as { Code: string; Message: string };
      expect(body.Code).toBe('MisdirectedRequest');
      expect(body.Message).toMatch(/allowedHosts/);
      expect(res.text).not.toContain('evil');
    }
    // No Host at all: Node's own HTTP/1.1 parser answers 400 before the emulator sees the request.
    expect((await raw(emulator, { path: flowsPath(emulator), host: null, headers })).status).toBe(400);
  });

  it('refuses a rebound Host on every surface: preflight, consent page, provider API; nothing reaches the log', async () => {
    const emulator = await start();
    const port = new URL(emulator.url).port;
    const host = `rebind.example:${port}`;
    const preflight = await raw(emulator, {
      method: 'OPTIONS',
      path: flowsPath(emulator),
      host,
      headers: { origin: `http://${host}`, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(421);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect((await raw(emulator, { path: '/_oauth/authorize?state=x', host })).status).toBe(421);
    expect((await raw(emulator, { path: '/_provider/salesforce/me', host })).status).toBe(421);
    const upload = await raw(emulator, {
      method: 'POST',
      path: pathOf(emulator.envId, emulator.defaultFlowId, 't', 'jobs'),
      host,
      headers: { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(upload.status).toBe(421);
    expect(emulator.requests).toEqual([]);
    expect(emulator.jobs()).toEqual([]);
  });

  it('allowedHosts widens the names (with or without a port) and "*" answers any', async () => {
    const listed = await start({ allowedHosts: ['emulator.internal', 'proxy.local:8443'] });
    const port = new URL(listed.url).port;
    const headers = { 'x-api-key': listed.secretApiKey };
    const status = async (emulator: HotglueEmulator, host: string) =>
      (await raw(emulator, { path: flowsPath(emulator), host, headers })).status;
    expect(await status(listed, 'emulator.internal')).toBe(200);
    expect(await status(listed, `emulator.internal:${port}`)).toBe(200);
    expect(await status(listed, 'proxy.local:8443')).toBe(200);
    expect(await status(listed, 'proxy.local:8444')).toBe(421);
    expect(await status(listed, `127.0.0.1:${port}`)).toBe(200);
    expect(await status(listed, `other.internal:${port}`)).toBe(421);

    const any = await start({ allowedHosts: ['*'] });
    expect(await status(any, 'anything.example')).toBe(401); // past the Host check: this key is another emulator's
  });

  it('on a non-loopback listener the check is off by default and on when allowedHosts lists names', async () => {
    const open = await start({ host: '0.0.0.0' });
    const port = new URL(open.url).port;
    const headers = { 'x-api-key': open.secretApiKey };
    const viaLoopback = (emulator: HotglueEmulator) => emulator.url.replace('0.0.0.0', '127.0.0.1');
    const status = async (emulator: HotglueEmulator, host: string) => {
      const proxy = { url: viaLoopback(emulator) } as HotglueEmulator;
      return (
        await raw(proxy, {
          path: flowsPath(emulator),
          host,
          headers: { ...headers, 'x-api-key': emulator.secretApiKey },
        })
      ).status;
    };
    expect(await status(open, `hotglue-emulator:${port}`)).toBe(200);
    const listed = await start({ host: '0.0.0.0', allowedHosts: ['hotglue-emulator'] });
    expect(await status(listed, 'hotglue-emulator:4010')).toBe(200);
    expect(await status(listed, 'elsewhere:4010')).toBe(421);
  });

  it('refuses allowedHosts entries that are not host names', async () => {
    for (const bad of [['http://x.example'], ['x.example/path'], ['a b'], ['x:99999'], [''], [5 as never]]) {
      await expect(HotglueEmulator.start({ allowedHosts: bad })).rejects.toThrow(
        /allowedHosts must list host names/,
      );
    }
  });
});

describe('HotglueEmulator consent decision Origin check', () => {
  it('refuses (403) a decision posted from a foreign or opaque Origin; the own origin links the source', async () => {
    const emulator = await start();
    const tenant = 'victim';
    const requestId = await openConsent(emulator, tenant);
    const port = new URL(emulator.url).port;
    for (const origin of [
      `http://evil.example:${port}`,
      'http://evil.example',
      'null',
      `https://127.0.0.1:${port}`,
      'garbage',
    ]) {
      const res = await decide(emulator, requestId, { origin });
      expect([origin, res.status]).toEqual([origin, 403]);
      expect(res.text).not.toContain('evil');
    }
    expect(await linkedTaps(emulator, tenant)).toEqual([]);
    // The refused attempts did not use up the request: the user's own click still works.
    const own = await decide(emulator, requestId, { origin: `http://127.0.0.1:${port}` });
    expect(own.status).toBe(200);
    expect(own.text).toContain('is connected');
    expect(await linkedTaps(emulator, tenant)).toEqual(['salesforce']);
  });

  it('accepts the origin of the Host it was reached by (localhost), and a listed proxy origin', async () => {
    const emulator = await start({ allowedHosts: ['emu.example.com'] });
    const port = new URL(emulator.url).port;
    const first = await openConsent(emulator, 'a');
    expect(
      (await decide(emulator, first, { origin: `http://localhost:${port}` }, `localhost:${port}`)).status,
    ).toBe(200);
    // A TLS proxy that rewrites Host to the loopback address: the page's origin is the proxy's.
    const second = await openConsent(emulator, 'b');
    expect((await decide(emulator, second, { origin: 'https://emu.example.com' })).status).toBe(200);
    expect(await linkedTaps(emulator, 'b')).toEqual(['salesforce']);
  });
});

describe('hotglue-emulator EMULATOR_ALLOWED_HOSTS', () => {
  it('reads a comma-separated list, and names the variable (never the value) when an entry is bad', () => {
    expect(
      readEmulatorSettings({ EMULATOR_ALLOWED_HOSTS: ' emu.internal, proxy.local:8443 ,' }).settings
        ?.allowedHosts,
    ).toEqual(['emu.internal', 'proxy.local:8443']);
    expect(readEmulatorSettings({}).settings?.allowedHosts).toBeUndefined();
    const { problems } = readEmulatorSettings({
      EMULATOR_ALLOWED_HOSTS: 'ok.internal,https://leak-me.example',
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^EMULATOR_ALLOWED_HOSTS must be/);
    expect(problems[0]).not.toContain('leak-me');
  });
});
