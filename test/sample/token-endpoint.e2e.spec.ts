import { JwtService } from '@nestjs/jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueTokenService } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import {
  CapturedOutput,
  type SampleTestApp,
  sampleTestAdapter,
  startSampleTestApp,
} from './sample-test-app.js';

// Canaries: none of these may ever appear in a log line (leak scan in afterAll).
const AUTH_SECRET = 'canary-app-auth-secret-7f3a9c1d5e2b8a4f6c0d';
const PUBLIC_API_KEY = 'canary-public-api-key-91b2c3';
const SECRET_API_KEY = 'canary-secret-api-key-4d5e6f';
const OAUTH_SECRET = 'canary-oauth-access-token-a1b2c3';
const SIGNER_FAILURE = 'canary-signer-failure-detail-0e9d8c';

const key = generateTestSigningKey('sample-e2e');
const output = new CapturedOutput();
const minted: string[] = [];
let emulator: HotglueEmulator;
let sample: SampleTestApp;
let limited: SampleTestApp;

const bearer = (sub: string, tenants: string[], secret = AUTH_SECRET) =>
  signAppToken(secret, { sub, tenants });
const alice = bearer('alice', ['tenant-a']);
const carol = bearer('carol', ['tenant-a', 'tenant-c']);
const nobody = bearer('nobody', []);

async function get(base: string, path: string, auth?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...headers },
  });
  const text = await response.text();
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (typeof body.token === 'string') minted.push(body.token);
  return { status: response.status, headers: response.headers, body, text };
}

beforeAll(async () => {
  output.captureProcessOutput();
  emulator = await HotglueEmulator.start({
    jwtPublicKeys: [key.publicKeyPem],
    requireJwt: true,
    publicApiKey: PUBLIC_API_KEY,
    secretApiKey: SECRET_API_KEY,
    logger: (line) => output.lines.push(`EMULATOR ${line}`),
  });
  emulator.linkSource(emulator.defaultFlowId, 'tenant-a', {
    tap: 'salesforce',
    label: 'Salesforce',
    config: { access_token: OAUTH_SECRET },
  });
  const hotglue = {
    envId: emulator.envId,
    signingKey: key.privateKeyBase64,
    publicApiKey: PUBLIC_API_KEY,
    secretApiKey: SECRET_API_KEY,
    apiUrl: emulator.url,
    flowId: emulator.defaultFlowId,
  };
  sample = await startSampleTestApp(
    { authSecret: AUTH_SECRET, hotglue, rateLimit: { limit: 1000, ttlMs: 60_000 }, docs: true },
    output,
    { tenantId: 'explode', message: SIGNER_FAILURE },
  );
  limited = await startSampleTestApp(
    { authSecret: AUTH_SECRET, hotglue, rateLimit: { limit: 3, ttlMs: 60_000 }, docs: false },
    output,
  );
});

afterAll(async () => {
  await sample?.close();
  await limited?.close();
  await emulator?.close();
  output.stop();
});

describe('GET /hotglue/token: 200', () => {
  it('returns { token, tenantId, expiresAt } for the only tenant, no-store, a token hotglue accepts', async () => {
    const res = await get(sample.url, '/hotglue/token', alice);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['expiresAt', 'tenantId', 'token']);
    expect(res.body.tenantId).toBe('tenant-a');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const expiresAt = String(res.body.expiresAt);
    expect(new Date(expiresAt).toISOString()).toBe(expiresAt);
    const verified = await sample.app
      .get(HotglueTokenService)
      .verifyToken(String(res.body.token), { tenantId: 'tenant-a' });
    expect(verified.expiresAt.toISOString()).toBe(expiresAt);
  });

  it('serves the named tenant of a user with several tenants', async () => {
    const res = await get(sample.url, '/hotglue/token?tenantId=tenant-c', carol);
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe('tenant-c');
  });

  it('serves a cached tenant without signing again', async () => {
    await get(sample.url, '/hotglue/token', alice);
    const before = sample.signings.length;
    const res = await get(sample.url, '/hotglue/token?tenantId=tenant-a', alice);
    expect(res.status).toBe(200);
    expect(sample.signings.length).toBe(before);
  });
});

describe('GET /hotglue/token: refusals (and nothing signed for any of them)', () => {
  const cases: Array<{
    name: string;
    path: string;
    auth?: string;
    headers?: Record<string, string>;
    status: number;
  }> = [
    { name: 'no Authorization header', path: '/hotglue/token', status: 401 },
    {
      name: 'not a Bearer scheme',
      path: '/hotglue/token',
      headers: { authorization: `Basic ${alice}` },
      status: 401,
    },
    { name: 'garbage bearer', path: '/hotglue/token', auth: 'not.a.jwt', status: 401 },
    {
      name: 'token signed with another secret (forged)',
      path: '/hotglue/token',
      auth: bearer('alice', ['tenant-a'], 'another-secret-another-secret-xx'),
      status: 401,
    },
    {
      name: 'expired app token',
      path: '/hotglue/token',
      auth: new JwtService({ secret: AUTH_SECRET }).sign({
        sub: 'alice',
        tenants: ['tenant-a'],
        exp: Math.floor(Date.now() / 1000) - 60,
      }),
      status: 401,
    },
    {
      name: 'app token without exp (would never expire)',
      path: '/hotglue/token',
      auth: new JwtService({ secret: AUTH_SECRET }).sign({ sub: 'alice', tenants: ['tenant-a'] }),
      status: 401,
    },
    {
      name: 'alg none token',
      path: '/hotglue/token',
      auth: unsignedToken({ sub: 'alice', tenants: ['tenant-b'] }),
      status: 401,
    },
    {
      name: 'claims without tenants array',
      path: '/hotglue/token',
      auth: new JwtService({ secret: AUTH_SECRET }).sign({ sub: 'alice', tenants: 'tenant-a' }),
      status: 401,
    },
    {
      name: 'IDOR: tenant B for a user of A',
      path: '/hotglue/token?tenantId=tenant-b',
      auth: alice,
      status: 403,
    },
    {
      name: 'IDOR: a tenant id that differs only in case',
      path: '/hotglue/token?tenantId=Tenant-A',
      auth: alice,
      status: 403,
    },
    { name: 'user with no tenants, none named', path: '/hotglue/token', auth: nobody, status: 403 },
    {
      name: 'user with no tenants naming one',
      path: '/hotglue/token?tenantId=tenant-a',
      auth: nobody,
      status: 403,
    },
    { name: 'several tenants and none named', path: '/hotglue/token', auth: carol, status: 400 },
    {
      name: 'several tenants, spoofed X-Tenant-Id only',
      path: '/hotglue/token',
      auth: carol,
      headers: { 'x-tenant-id': 'tenant-a' },
      status: 400,
    },
    {
      name: 'tenantId given twice (own, foreign)',
      path: '/hotglue/token?tenantId=tenant-a&tenantId=tenant-b',
      auth: alice,
      status: 400,
    },
    {
      name: 'tenantId given twice (same value)',
      path: '/hotglue/token?tenantId=tenant-a&tenantId=tenant-a',
      auth: alice,
      status: 400,
    },
    {
      name: 'malformed: path traversal',
      path: '/hotglue/token?tenantId=..%2Ftenant-b',
      auth: alice,
      status: 400,
    },
    {
      name: 'malformed: control character',
      path: '/hotglue/token?tenantId=tenant-a%00',
      auth: alice,
      status: 400,
    },
    { name: 'malformed: empty', path: '/hotglue/token?tenantId=', auth: alice, status: 400 },
    { name: 'malformed: whitespace', path: '/hotglue/token?tenantId=tenant%20a', auth: alice, status: 400 },
  ];

  it.each(cases)(
    '$name -> $status, no-store, generic body, nothing signed',
    async ({ path, auth, headers, status }) => {
      const tokens = sample.app.get(HotglueTokenService);
      const signedBefore = sample.signings.length;
      const getTokenCalls: string[] = [];
      const original = tokens.getToken.bind(tokens);
      tokens.getToken = (tenantId: string) => {
        getTokenCalls.push(tenantId);
        return original(tenantId);
      };
      try {
        const res = await get(sample.url, path, auth, headers);
        expect(res.status).toBe(status);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.body.statusCode).toBe(status);
        expect(res.body.token).toBeUndefined();
        expect(res.text).not.toMatch(/stack|at .*\.ts/);
        if (status === 401) expect(res.headers.get('www-authenticate')).toBe('Bearer');
      } finally {
        tokens.getToken = original;
      }
      expect(getTokenCalls).toEqual([]);
      expect(sample.signings.length).toBe(signedBefore);
    },
  );

  it('ignores a spoofed X-Tenant-Id header: a user of A still gets A', async () => {
    const res = await get(sample.url, '/hotglue/token', alice, { 'x-tenant-id': 'tenant-b' });
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe('tenant-a');
  });

  it('ignores bracketed forms that some query parsers turn into arrays or objects', async () => {
    const res = await get(sample.url, '/hotglue/token?tenantId[]=tenant-b&tenantId[x]=tenant-b', alice);
    expect(res.status).toBe(200);
    expect(res.body.tenantId).toBe('tenant-a');
  });
});

describe('rate limit per authenticated user', () => {
  it('answers 429 with Retry-After after the limit, for that user only, without signing', async () => {
    const dave = bearer('dave', ['tenant-d']);
    for (let i = 0; i < 3; i++) expect((await get(limited.url, '/hotglue/token', dave)).status).toBe(200);
    const signedBefore = limited.signings.length;
    const refused = await get(limited.url, '/hotglue/token', dave);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.body.token).toBeUndefined();
    expect(limited.signings.length).toBe(signedBefore);
    // Same IP, another user: its own budget.
    expect((await get(limited.url, '/hotglue/token', bearer('erin', ['tenant-e']))).status).toBe(200);
  });

  it('counts refused tenant probes too (IDOR enumeration is limited)', async () => {
    const mallory = bearer('mallory', ['tenant-m']);
    for (let i = 0; i < 3; i++) {
      expect((await get(limited.url, `/hotglue/token?tenantId=victim-${i}`, mallory)).status).toBe(403);
    }
    expect((await get(limited.url, '/hotglue/token?tenantId=victim-9', mallory)).status).toBe(429);
  });
});

describe('GET /hotglue/linked-sources', () => {
  it("lists the caller's tenant's sources by id, label and whether a provider call can work, never config or credentials", async () => {
    const res = await get(sample.url, '/hotglue/linked-sources', alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body).toEqual({
      tenantId: 'tenant-a',
      linkedSources: [{ tap: 'salesforce', label: 'Salesforce', providerCall: true }],
    });
    expect(res.text).not.toContain(OAUTH_SECRET);
    expect(res.text).not.toContain('config');
  });

  it('refuses a foreign tenant with 403 before calling hotglue', async () => {
    const before = emulator.requests.length;
    const res = await get(sample.url, '/hotglue/linked-sources?tenantId=tenant-b', alice);
    expect(res.status).toBe(403);
    expect(emulator.requests.length).toBe(before);
  });

  it('refuses without auth (401)', async () => {
    expect((await get(sample.url, '/hotglue/linked-sources')).status).toBe(401);
  });

  it('logs an upstream error that tries to forge log lines as one escaped line, and answers a generic 502', async () => {
    const forged = 'bad flow\r\n[Nest] 1  - LOG [Auth] admin logged in\u001b[2J';
    emulator.injectFault(
      { kind: 'status', status: 400, body: { Code: 'BadRequestError\n', Message: forged } },
      { path: /linkedSources$/ },
    );
    const res = await get(sample.url, '/hotglue/linked-sources', alice);
    expect(res.status).toBe(502);
    expect(res.text).not.toContain('bad flow');
    const line = output.lines.find((entry) => entry.includes('bad flow'));
    expect(line).toContain('bad flow\\r\\n[Nest] 1  - LOG [Auth] admin logged in\\x1b[2J');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    expect(line!.replace(/^ERROR /, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('errors, headers, health and docs', () => {
  it('answers a generic 500 with no detail when signing fails, and logs no detail either', async () => {
    const res = await get(sample.url, '/hotglue/token', bearer('eve', ['explode']));
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      statusCode: 500,
      message: 'Internal server error',
      error: 'Internal Server Error',
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(output.text()).toContain('GET /hotglue/token failed: Error (details withheld from the log)');
  });

  it('sends the security headers and no CORS header by default', async () => {
    const res = await get(sample.url, '/hotglue/token', alice, { origin: 'https://evil.example' });
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 for unknown routes with no-store and no demo routes outside local mode', async () => {
    const page = await fetch(`${sample.url}/`);
    expect(page.status).toBe(404);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const session = await fetch(`${sample.url}/demo/session`, { method: 'POST' });
    expect(session.status).toBe(404);
  });

  it('GET /health reports the key fingerprint and a reachable API', async () => {
    const res = await get(sample.url, '/health');
    expect(res.status).toBe(200);
    const hotglue = (res.body.details as Record<string, Record<string, unknown>>).hotglue!;
    expect(hotglue.status).toBe('up');
    expect(hotglue.keyLoaded).toBe(true);
    expect(hotglue.keyFingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(hotglue.apiReachable).toBe(true);
    // terminus writes its own `no-cache, no-store, must-revalidate`.
    expect(res.headers.get('cache-control')).toContain('no-store');
  });

  it('GET /health does not turn every hit into a request to hotglue (one probe per 5 s)', async () => {
    emulator.clearRequests();
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => (await fetch(`${sample.url}/health`)).status),
    );
    expect(statuses).toStrictEqual([200, 200, 200, 200, 200]);
    expect((await fetch(`${sample.url}/health`)).status).toBe(200);
    // The probe is an unauthenticated GET of the API root; at most one ran for these six checks.
    expect(emulator.requests.filter((r) => r.path === '/').length).toBeLessThanOrEqual(1);
  });

  it('serves OpenAPI at /docs describing the token endpoint and its refusals', async () => {
    const ui = await fetch(`${sample.url}/docs`);
    // The UI page needs @fastify/static on Fastify (not installed); the document below is on both.
    expect(ui.status).toBe(sampleTestAdapter() === 'express' ? 200 : 404);
    const doc = (await (await fetch(`${sample.url}/docs-json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(doc.paths['/hotglue/token']!.get.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
    ]);
    expect(doc.paths['/hotglue/linked-sources']).toBeDefined();
  });
});

describe('leak scan over the whole run', () => {
  it('minted tokens, API keys, the signing key, the auth secret and upstream credentials never reach a log', () => {
    expect(minted.length).toBeGreaterThan(3);
    const logs = output.text();
    expect(logs.length).toBeGreaterThan(0);
    const pemBody = key.privateKeyPem.split('\n')[5]!;
    for (const secret of [
      ...minted,
      ...minted.map((token) => token.split('.')[2]!),
      AUTH_SECRET,
      PUBLIC_API_KEY,
      SECRET_API_KEY,
      OAUTH_SECRET,
      SIGNER_FAILURE,
      key.privateKeyBase64.slice(100, 160),
      pemBody,
    ]) {
      expect(logs.includes(secret), `a secret leaked into the logs: ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});

/** `{ alg: 'none' }` token: must never be accepted. */
function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ ...claims, exp: Math.floor(Date.now() / 1000) + 600 })}.x`;
}
