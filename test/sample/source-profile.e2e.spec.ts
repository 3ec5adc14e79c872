import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { EMULATED_PROFILES, staticProfiles } from '../../src/sample/providers/provider-registry.js';
import { consentConfig, issuedTokens } from '../credentials/oauth-links.js';
import { expectNoLeak } from '../support/leaks.js';
import { CapturedOutput, type SampleTestApp, startSampleTestApp } from './sample-test-app.js';

const AUTH_SECRET = 'canary-app-auth-secret-profile-5c1e9a7d3b';
const PUBLIC_API_KEY = 'canary-public-api-key-profile-62d1';
const SECRET_API_KEY = 'canary-secret-api-key-profile-8e4f';

const key = generateTestSigningKey('profile-e2e');
const output = new CapturedOutput();
const bodies: string[] = [];
let emulator: HotglueEmulator;
let sample: SampleTestApp;
let limited: SampleTestApp;
/** A server standing in for an internal host: the sample must never call it, whatever a config says. */
let internal: Server;
let internalHits = 0;

const EVIL = ['evil-0', 'evil-1', 'evil-2', 'evil-3', 'evil-4', 'evil-5'];
const TENANTS = ['fresh', 'rotated', 'revoked', 'revoked-later', 'none', 'csv', 'flood', ...EVIL];
const user = signAppToken(AUTH_SECRET, { sub: 'user-1', tenants: [...TENANTS] });
const stranger = signAppToken(AUTH_SECRET, { sub: 'user-2', tenants: ['elsewhere'] });

async function profile(
  tap: string,
  tenantId: string | undefined,
  auth: string | undefined = user,
  base = sample,
) {
  const query = tenantId === undefined ? '' : `?tenantId=${encodeURIComponent(tenantId)}`;
  const response = await fetch(`${base.url}/hotglue/sources/${tap}/profile${query}`, {
    headers: auth ? { authorization: `Bearer ${auth}` } : {},
  });
  const text = await response.text();
  bodies.push(text);
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

const sourceFetches = (tenant: string) =>
  emulator.requests.filter((r) => r.path.includes(`/${tenant}/linkedSources`) && r.query.config === 'true')
    .length;

function link(tenant: string, tap = 'salesforce', extra: Record<string, unknown> = {}) {
  const config = consentConfig(Date.now(), { instance_url: emulator.providerUrl(tap), ...extra });
  emulator.linkSource(undefined, tenant, { tap, config });
  return config;
}

beforeAll(async () => {
  output.captureProcessOutput();
  internal = createServer((_req, res) => {
    internalHits += 1;
    res.end('{}');
  });
  await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
  emulator = await HotglueEmulator.start({
    jwtPublicKeys: [key.publicKeyPem],
    publicApiKey: PUBLIC_API_KEY,
    secretApiKey: SECRET_API_KEY,
    logger: (line) => output.lines.push(`EMULATOR ${line}`),
  });
  const profiles = staticProfiles({
    salesforce: EMULATED_PROFILES('salesforce')!,
    csv: EMULATED_PROFILES('csv')!,
  });
  const hotglue = {
    // Where the library may call: the emulator's provider API, its exact origin (loopback) listed.
    providers: { salesforce: emulator.providerEntry('salesforce'), csv: emulator.providerEntry('csv') },
    envId: emulator.envId,
    signingKey: key.privateKeyBase64,
    publicApiKey: PUBLIC_API_KEY,
    secretApiKey: SECRET_API_KEY,
    apiUrl: emulator.url,
    flowId: emulator.defaultFlowId,
  };
  sample = await startSampleTestApp(
    { authSecret: AUTH_SECRET, hotglue, profiles, rateLimit: { limit: 1000, ttlMs: 60_000 } },
    output,
  );
  limited = await startSampleTestApp(
    { authSecret: AUTH_SECRET, hotglue, profiles, rateLimit: { limit: 2, ttlMs: 60_000 } },
    output,
  );
});

afterAll(async () => {
  await sample?.close();
  await limited?.close();
  await emulator?.close();
  await new Promise((resolve) => internal?.close(resolve));
  output.stop();
});

describe('GET /hotglue/sources/:tap/profile', () => {
  it("200: the provider's allow-listed answer, no-store, and no credential in the body", async () => {
    const config = link('fresh');
    const res = await profile('salesforce', 'fresh');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      tenantId: 'fresh',
      tap: 'salesforce',
      profile: {
        provider: 'salesforce',
        id: expect.stringMatching(/^emu-user-/),
        displayName: expect.any(String),
        organization: { id: expect.any(String), name: expect.stringContaining('fresh') },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain(config.access_token as string);
    // Cached: the second call costs no hotglue request.
    expect((await profile('salesforce', 'fresh')).status).toBe(200);
    expect(sourceFetches('fresh')).toBe(1);
  });

  it('a token the provider refuses is evicted and fetched fresh once (the tenant reconnected meanwhile)', async () => {
    link('rotated');
    expect((await profile('salesforce', 'rotated')).status).toBe(200);
    link('rotated'); // a new grant, new token: the cached one is no longer valid at the provider
    expect((await profile('salesforce', 'rotated')).status).toBe(200);
    expect(sourceFetches('rotated')).toBe(2);
  });

  it('409 with a "reconnect" message when the credentials are revoked (at hotglue, or found so by the provider)', async () => {
    link('revoked');
    emulator.revokeCredentials('revoked');
    const res = await profile('salesforce', 'revoked');
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/reconnect/);
    expect(res.headers.get('cache-control')).toBe('no-store');

    link('revoked-later');
    expect((await profile('salesforce', 'revoked-later')).status).toBe(200);
    emulator.revokeCredentials('revoked-later');
    const later = await profile('salesforce', 'revoked-later');
    expect(later.status).toBe(409);
    expect(later.body.message).toMatch(/reconnect/);
    // Failures are not cached: each call asks hotglue again.
    expect((await profile('salesforce', 'revoked-later')).status).toBe(409);
    expect(sourceFetches('revoked-later')).toBe(3);
  });

  it('404 not linked, 404 no provider API for the tap, 422 no OAuth token', async () => {
    expect((await profile('salesforce', 'none')).status).toBe(404);
    const unknown = await profile('zendesk', 'none');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/provider/);
    emulator.linkSource(undefined, 'csv', { tap: 'csv', config: { path: '/data' } });
    expect((await profile('csv', 'csv')).status).toBe(422);
  });

  it('502, and no request, when instance_url points anywhere but an allowed provider origin', async () => {
    const internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
    const instances = [
      internalUrl,
      `${internalUrl}/_provider/salesforce`,
      'http://169.254.169.254/latest/meta-data',
      `${emulator.url.replace('127.0.0.1', 'localhost')}/_provider/salesforce`,
      'not a url',
    ];
    // One tenant per case: credentials are cached per tenant.
    for (const [i, instance] of instances.entries()) {
      link(EVIL[i]!, 'salesforce', { instance_url: instance });
      const res = await profile('salesforce', EVIL[i]!);
      expect(res.status, instance).toBe(502);
      expect(res.body.message).toMatch(/not allowed/);
      expect(sourceFetches(EVIL[i]!)).toBe(1);
    }
    expect(internalHits).toBe(0);
  });

  it('an instance_url with a user and password reaches the sample stripped of them', async () => {
    // The library drops a URL's credentials from `properties`; the host part stays what the parser saw, so
    // the call goes to the same (allowed) origin, with no credentials anywhere in its URL.
    const tenant = EVIL[5]!;
    link(tenant, 'salesforce', {
      instance_url: `${emulator.url.replace('http://', 'http://user:pw-canary-6a2f@')}/_provider/salesforce`,
    });
    const res = await profile('salesforce', tenant);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('pw-canary-6a2f');
    expect(output.text()).not.toContain('pw-canary-6a2f');
  });

  it('401 without app auth, 403 for another tenant, 400 for a malformed tap, 429 per user; no hotglue call', async () => {
    link('flood');
    emulator.clearRequests();
    expect((await profile('salesforce', 'fresh', '')).status).toBe(401);
    expect((await profile('salesforce', 'fresh', stranger)).status).toBe(403);
    expect((await profile('sales%20force', 'fresh')).status).toBe(400);
    expect((await profile('salesforce', undefined)).status).toBe(400); // several tenants, none named
    expect(emulator.requests).toHaveLength(0);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await profile('salesforce', 'flood', user, limited)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('leak scan: no OAuth token, key or secret in any response body or log line over the run', () => {
    expect(bodies.length).toBeGreaterThan(10);
    const secrets = [...issuedTokens, AUTH_SECRET, PUBLIC_API_KEY, SECRET_API_KEY];
    expectNoLeak(bodies.join('\n'), secrets, 'response bodies');
    expect(output.text()).toMatch(/SourceProfile|provider/);
    expectNoLeak(output.text(), secrets, 'log lines');
  });
});
