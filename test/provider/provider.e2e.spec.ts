import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type HotglueApi, type HotglueClient, HotglueProviderError } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, createClient, ENV_ID } from '../client/client-harness.js';
import { consentConfig, issuedTokens } from '../credentials/oauth-links.js';
import { CapturingLogger, describeError } from '../support/capturing-logger.js';
import { expectNoLeak } from '../support/leaks.js';
import { TestOtelSdk } from '../support/otel-sdk.js';

const key = generateTestSigningKey();
const capture = new CapturingLogger();
const otel = new TestOtelSdk();
const { spans, metricExporter } = otel;

const errors: unknown[] = [];
const events: HotglueApi.HotglueProviderConnectionEvent[] = [];
let emulator: HotglueEmulator;
let client: HotglueClient;
let close: () => Promise<void>;
/** A second loopback server: the "other origin" nothing may reach with a token. */
let foreign: Server;
let foreignUrl: string;
const foreignHits: string[] = [];
let seq = 0;

const TAP = 'salesforce';
const CONNECTOR = 'hubspot';

/** A tenant linked to TAP (source) and CONNECTOR (V2 connector), with canary tokens. */
function newTenant(): string {
  const tenant = `pt${++seq}`;
  emulator.linkSource(undefined, tenant, { tap: TAP, config: consentConfig(Date.now()) });
  emulator.linkConnector(undefined, tenant, { id: CONNECTOR, config: consentConfig(Date.now()) });
  return tenant;
}

async function failure(promise: Promise<unknown>): Promise<HotglueProviderError> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    if (error instanceof HotglueProviderError) return error;
    throw error;
  }
  throw new Error('expected a HotglueProviderError');
}

const credentialFetches = (tenant: string) =>
  emulator.requests.filter(
    (r) => r.path.endsWith('/linkedSources') && r.query.config === 'true' && r.path.includes(`/${tenant}/`),
  ).length;
const providerHits = (tenant?: string) =>
  emulator.providerRequests.filter((r) => tenant === undefined || r.tenantId === tenant);

beforeAll(async () => {
  otel.register();
  foreign = createServer((req, res) => {
    foreignHits.push(`${req.method} ${req.url} auth=${req.headers.authorization ? 'yes' : 'no'}`);
    res.end('{}');
  });
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  emulator = await HotglueEmulator.start({
    envId: ENV_ID,
    publicApiKey: CANARY_PUBLIC_KEY,
    secretApiKey: CANARY_SECRET_KEY,
    jwtPublicKeys: [key.publicKeyPem],
  });
  ({ client, close } = await createClient(
    emulator.url,
    {
      signingKey: key.privateKeyBase64,
      flowId: emulator.defaultFlowId,
      // The built-in salesforce / hubspot entries replaced by ones that point at the emulator.
      providers: { [TAP]: emulator.providerEntry(TAP), [CONNECTOR]: emulator.providerEntry(CONNECTOR) },
      providerHttp: {
        maxAttempts: 3,
        backoffBaseMs: 5,
        backoffMaxMs: 20,
        maxRetryAfterMs: 1500,
        maxResponseBytes: 4096,
      },
      onProviderConnectionChange: (event) => events.push(event),
    },
    capture,
  ));
});

afterAll(async () => {
  await close();
  await emulator.close();
  await new Promise((resolve) => foreign.close(resolve));
  await otel.collect();
  const exported = JSON.stringify({
    spans: spans
      .getFinishedSpans()
      .map((s) => ({ name: s.name, attributes: s.attributes, status: s.status })),
    metrics: metricExporter.getMetrics(),
  });
  await otel.shutdown();
  Logger.overrideLogger(false);
  // Canary: no OAuth token (issued, rotated or refreshed) in any error, log line or exported span/metric.
  const secrets = [CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, ...issuedTokens, ...rotatedTokens];
  expect(errors.length).toBeGreaterThanOrEqual(8);
  for (const error of errors) expectNoLeak(describeError(error), secrets, `error ${(error as Error).name}`);
  for (const line of capture.lines) expectNoLeak(line, secrets, 'log line');
  expectNoLeak(exported, secrets, 'exported telemetry');
  expect(foreignHits).toEqual([]);
});

/** Tokens the emulator minted on rotation, read back through credentials, for the canary. */
const rotatedTokens: string[] = [];

beforeEach(() => {
  emulator.resetProvider();
  events.length = 0;
});

describe('request and fetch reach the allowed origin with the tenant token', () => {
  it('request(): GET /me with the token, the echo for other paths, JSON / form / bytes bodies', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    const me = await provider.request({ path: '/me' });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      provider: TAP,
      organization: { name: expect.stringContaining(tenant) },
    });

    const json = await provider.request({
      method: 'POST',
      path: '/records',
      query: { a: 1, b: ['x', 'y'] },
      body: { n: 1 },
    });
    expect(json.status).toBe(201);
    expect(await json.json()).toMatchObject({
      tenantId: tenant,
      method: 'POST',
      path: '/records',
      query: { a: '1', b: 'y' },
      contentType: 'application/json',
      body: { n: 1 },
    });
    const form = await provider.request({ method: 'PUT', path: '/f', body: new URLSearchParams({ k: 'v' }) });
    expect(await form.json()).toMatchObject({
      contentType: expect.stringContaining('x-www-form-urlencoded'),
      body: 'k=v',
    });
    const bytes = await provider.request({ method: 'PATCH', path: '/b', body: new Uint8Array([104, 105]) });
    expect(await bytes.json()).toMatchObject({ contentType: 'application/octet-stream', body: 'hi' });
    const text = await provider.request({ method: 'DELETE', path: '/t', body: 'plain' });
    expect(await text.json()).toMatchObject({ method: 'DELETE', body: 'plain' });
    expect(providerHits(tenant).every((r) => r.hadToken && r.status < 300)).toBe(true);
  });

  it('fetch(): a WHATWG Response; a caller Authorization header is replaced by the tenant token', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    const response = await provider.fetch('/me', { headers: { authorization: 'Bearer not-the-token' } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { provider: string }).provider).toBe(TAP);
    const posted = await provider.fetch(
      new Request(`${emulator.providerUrl(TAP)}/items`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(posted.status).toBe(201);
    expect(await posted.json()).toMatchObject({ body: { a: 1 }, path: '/items' });
  });

  it('provider() hands back one client per tenant and provider, which still reads the credentials cache', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    expect(client.provider(tenant, TAP)).toBe(provider);
    expect(client.provider(newTenant(), TAP)).not.toBe(provider);
    expect(client.provider(tenant, TAP, { flowId: emulator.defaultV2FlowId })).not.toBe(provider);
    expect(client.provider(tenant, CONNECTOR, { connector: true })).not.toBe(provider);
    expect((await provider.request({ path: '/me' })).status).toBe(200);
    expect((await provider.request({ path: '/me' })).status).toBe(200);
    expect(credentialFetches(tenant)).toBe(1);
    // The reused client pins no token: after an eviction the next call fetches the credentials again.
    client.evictCredentials(tenant, TAP);
    expect((await client.provider(tenant, TAP).request({ path: '/me' })).status).toBe(200);
    expect(credentialFetches(tenant)).toBe(2);
  });

  it('a V2 connector goes through getConnectorCredentials', async () => {
    const tenant = newTenant();
    const response = await client
      .provider(tenant, CONNECTOR, { connector: true, flowId: emulator.defaultV2FlowId })
      .request({ path: '/me' });
    expect(response.status).toBe(200);
    expect(emulator.requests.some((r) => r.path.endsWith(`/connectors/${CONNECTOR}/accesstoken`))).toBe(true);
  });
});

describe('nothing else is reached with the token', () => {
  it('an unknown provider is refused before any credential is read', async () => {
    const tenant = newTenant();
    const before = emulator.requests.length;
    let error: unknown;
    try {
      client.provider(tenant, 'no-such-provider');
    } catch (e) {
      error = e;
      errors.push(e);
    }
    expect(error).toBeInstanceOf(HotglueProviderError);
    expect((error as HotglueProviderError).reason).toBe('unknown-provider');
    expect(emulator.requests.length).toBe(before);
  });

  it.each([
    ['a foreign absolute URL', () => `${foreignUrl}/steal`],
    ['a protocol-relative host', () => `//127.0.0.1:${new URL(foreignUrl).port}/steal`],
    ['an encoded dot segment', () => '/%2e%2e/%2e%2e/v1/x'],
    ['a backslash', () => '/\\127.0.0.1/x'],
  ])('refuses %s, request and fetch, before any request', async (_name, path) => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    expect((await failure(provider.request({ path: path() }))).reason).toBe('refused-url');
    expect((await failure(provider.fetch(path()))).reason).toBe('refused-url');
    expect(providerHits()).toEqual([]);
  });

  it('a redirect comes back as the 3xx response and is never followed', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    emulator.injectProviderFault(TAP, { kind: 'redirect', location: `${foreignUrl}/steal` }, { times: 2 });
    const response = await provider.request({ path: '/me' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${foreignUrl}/steal`);
    const fetched = await provider.fetch('/me', { redirect: 'follow' });
    expect(fetched.status).toBe(302);
    expect(foreignHits).toEqual([]);
  });

  it('a tampered instance_url is refused, not fallen back from', async () => {
    const tenant = `pt${++seq}`;
    emulator.linkSource(undefined, tenant, {
      tap: TAP,
      config: consentConfig(Date.now(), { instance_url: foreignUrl }),
    });
    const { client: sf, close: closeSf } = await createClient(emulator.url, {
      signingKey: key.privateKeyBase64,
      flowId: emulator.defaultFlowId,
      providers: {
        [TAP]: {
          baseUrlProperties: ['instance_url'],
          baseUrl: emulator.providerUrl(TAP),
          origins: [new URL(emulator.url).origin],
        },
      },
    });
    try {
      const error = await failure(sf.provider(tenant, TAP).request({ path: '/me' }));
      expect(error.reason).toBe('refused-url');
      expect(error.message).toContain('instance_url');
    } finally {
      await closeSf();
    }
    expect(foreignHits).toEqual([]);
  });
});

describe('fresh credentials after a 401', () => {
  it('a rotated token: 20 concurrent calls, one credentials fetch, all succeed', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    expect((await provider.request({ path: '/me' })).status).toBe(200);
    const fetchesBefore = credentialFetches(tenant);
    expect(emulator.rotateProviderToken(tenant, TAP)).toBe(1);
    const results = await Promise.all(Array.from({ length: 20 }, () => provider.request({ path: '/me' })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(credentialFetches(tenant) - fetchesBefore).toBe(1);
    rotatedTokens.push((await client.getSourceCredentials(tenant, TAP)).accessToken);
    expect(events).toEqual([]);
  });

  it('a second 401: the typed reconnect error for every call, one hook call; then recovered once', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    emulator.injectProviderFault(
      TAP,
      { kind: 'status', status: 401, body: { error: 'invalid_token' } },
      { times: Number.POSITIVE_INFINITY },
    );
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, () => failure(provider.request({ path: '/me' }))),
    );
    for (const error of outcomes) {
      expect(error.reason).toBe('reconnect');
      expect(error.code).toBe('HOTGLUE_PROVIDER_RECONNECT');
      expect(error.status).toBe(401);
      expect(error.provider).toBe(TAP);
      expect(error.tenantId).toBe(tenant);
      expect(error.message).toMatch(/must reconnect/);
      expect(error.excerpt).toContain('invalid_token');
    }
    expect(events).toEqual([
      { state: 'revoked', provider: TAP, kind: 'source', tenantId: tenant, flowId: emulator.defaultFlowId },
    ]);
    emulator.resetProvider();
    expect((await provider.request({ path: '/me' })).status).toBe(200);
    expect((await provider.request({ path: '/me' })).status).toBe(200);
    expect(events.map((e) => e.state)).toEqual(['revoked', 'recovered']);
  });

  it('a grant hotglue reports revoked is the same reconnect error', async () => {
    const tenant = newTenant();
    emulator.revokeCredentials(tenant, TAP);
    const error = await failure(client.provider(tenant, TAP).request({ path: '/me' }));
    expect(error.reason).toBe('reconnect');
    expect(events.map((e) => e.state)).toEqual(['revoked']);
  });
});

describe('retries and limits', () => {
  it('429 with Retry-After in seconds is waited for and retried, POST included', async () => {
    const tenant = newTenant();
    emulator.injectProviderFault(TAP, { kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const response = await client.provider(tenant, TAP).request({ method: 'POST', path: '/x', body: {} });
    expect(response.status).toBe(201);
    expect(response.attempts).toBe(2);
    // A lower bound only (a wait can never be shorter than asked): the header was read and honoured.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('429 with an HTTP-date Retry-After in the past is retried at once; one beyond maxRetryAfterMs is returned', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    emulator.injectProviderFault(TAP, {
      kind: 'status',
      status: 429,
      retryAfter: new Date(Date.now() - 5000).toUTCString(),
    });
    expect((await provider.request({ path: '/me' })).attempts).toBe(2);
    emulator.injectProviderFault(TAP, { kind: 'status', status: 429, retryAfter: 60 });
    const limited = await provider.request({ path: '/me' });
    expect(limited.status).toBe(429);
    expect(limited.attempts).toBe(1);
    expect(limited.headers.get('retry-after')).toBe('60');
  });

  it('503: GET retried, POST not retried without opt-in, POST retried with retry: true', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    emulator.injectProviderFault(TAP, { kind: 'status', status: 503, retryAfter: 0 });
    expect((await provider.request({ path: '/me' })).attempts).toBe(2);

    emulator.injectProviderFault(TAP, { kind: 'status', status: 503 });
    const post = await provider.request({ method: 'POST', path: '/x', body: {} });
    expect(post.status).toBe(503);
    expect(post.attempts).toBe(1);
    expect(providerHits(tenant).filter((r) => r.method === 'POST')).toHaveLength(1);

    emulator.injectProviderFault(TAP, { kind: 'status', status: 503 });
    const optedIn = await provider.request({ method: 'POST', path: '/x', body: {}, retry: true });
    expect(optedIn.status).toBe(201);
    expect(optedIn.attempts).toBe(2);

    emulator.injectProviderFault(TAP, { kind: 'status', status: 503 }, { times: 5 });
    const exhausted = await provider.request({ path: '/me' });
    expect(exhausted.status).toBe(503);
    expect(exhausted.attempts).toBe(3);
  });

  it('a slow answer times out; an oversized one is refused', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    await provider.request({ path: '/me' }); // credentials cached: the budget below is the provider's alone
    emulator.injectProviderFault(TAP, { kind: 'stall-headers', ms: 3000 }, { times: 5 });
    const slow = await failure(provider.request({ path: '/me', timeoutMs: 300 }));
    expect(slow.reason).toBe('timeout');
    emulator.resetProvider();
    emulator.injectProviderFault(TAP, { kind: 'oversize', bytes: 100_000 });
    const large = await failure(provider.request({ method: 'POST', path: '/me', body: {} }));
    expect(large.reason).toBe('too-large');
  });

  it('an aborted signal rejects with reason aborted', async () => {
    const tenant = newTenant();
    const error = await failure(
      client.provider(tenant, TAP).request({ path: '/me', signal: AbortSignal.abort() }),
    );
    expect(error.reason).toBe('aborted');
  });
});

describe('headers', () => {
  it('a header named __proto__ is refused before anything is sent, not set on the prototype', async () => {
    const tenant = newTenant();
    const headers = JSON.parse('{"__proto__": "x", "accept": "application/json"}') as Record<string, string>;
    const error = await failure(client.provider(tenant, TAP).request({ path: '/me', headers }));
    expect(error.reason).toBe('bad-request');
    expect(providerHits(tenant)).toHaveLength(0);
  });
});

describe('the answer body, read when the caller asks for it', () => {
  it('json() and text() read it any number of times; arrayBuffer() first keeps the bytes', async () => {
    const provider = client.provider(newTenant(), TAP);
    const first = await provider.request({ path: '/me' });
    const me = await first.json<{ provider: string }>();
    expect(me.provider).toBe(TAP);
    expect(await first.json()).toEqual(me);
    expect(JSON.parse(await first.text())).toEqual(me);
    await expect(first.arrayBuffer()).rejects.toThrow(/arrayBuffer\(\) first/);

    const second = await provider.request({ path: '/me' });
    const bytes = await second.arrayBuffer();
    expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toEqual(me);
    expect(await second.json()).toEqual(me);
    expect(await second.text()).toBe(Buffer.from(bytes).toString('utf8'));
    expect((await second.arrayBuffer()).byteLength).toBe(bytes.byteLength);

    // Two reads at once share the one read of the stream.
    const third = await provider.request({ path: '/me' });
    const [a, b] = await Promise.all([third.text(), third.json()]);
    expect(JSON.parse(a)).toEqual(b);
  });

  it('a body nobody reads: the call and its span end once it has arrived, read in the background if need be', async () => {
    const tenant = newTenant();
    const provider = client.provider(tenant, TAP);
    await (await provider.request({ path: '/me' })).text(); // credentials cached, that call ended
    const ended = () => spans.getFinishedSpans().filter((s) => s.name === `GET ${TAP}`);
    // A small answer arrives with its headers: the call is over when request() resolves.
    spans.reset();
    const small = await provider.request({ path: '/me' });
    expect(ended()).toHaveLength(1);
    // A body still arriving, and the caller does something else first: it is read in the background.
    emulator.injectProviderFault(TAP, { kind: 'stall-body', ms: 150 });
    spans.reset();
    const slow = await provider.request({ path: '/me' });
    expect(ended()).toHaveLength(0);
    await vi.waitFor(() => expect(ended()).toHaveLength(1));
    expect(ended()[0]!.attributes['http.response.status_code']).toBe(200);
    // Both read later, from what was kept.
    expect(((await small.json()) as { provider: string }).provider).toBe(TAP);
    expect(((await slow.json()) as { provider: string }).provider).toBe(TAP);
  });

  it("the call's time budget covers the body: a stalled body rejects the read with timeout", async () => {
    const provider = client.provider(newTenant(), TAP);
    await provider.request({ path: '/me' }); // credentials cached
    emulator.injectProviderFault(TAP, { kind: 'stall-body', ms: 3000 });
    const response = await provider.request({ path: '/me', timeoutMs: 400 });
    expect(response.status).toBe(200);
    const error = await failure(response.json());
    expect(error.reason).toBe('timeout');
    expect(error.status).toBe(200);
    expect(error.attempts).toBe(1);
  });

  it("the caller's signal covers the body: aborting before it is read rejects the read with aborted", async () => {
    const provider = client.provider(newTenant(), TAP);
    await provider.request({ path: '/me' });
    emulator.injectProviderFault(TAP, { kind: 'stall-body', ms: 3000 });
    const controller = new AbortController();
    const response = await provider.request({ path: '/me', signal: controller.signal });
    const reading = failure(response.text());
    controller.abort();
    expect((await reading).reason).toBe('aborted');
  });

  it('a connection lost in the middle of the body rejects the read with network (not retried)', async () => {
    const provider = client.provider(newTenant(), TAP);
    await provider.request({ path: '/me' });
    emulator.resetProvider();
    emulator.injectProviderFault(TAP, { kind: 'reset-mid-body' });
    const response = await provider.request({ path: '/me' });
    const error = await failure(response.arrayBuffer());
    expect(error.reason).toBe('network');
    expect(providerHits()).toHaveLength(1);
  });

  it('fetch() reads the body within the call, so its Response is complete', async () => {
    const provider = client.provider(newTenant(), TAP);
    await provider.request({ path: '/me' });
    emulator.injectProviderFault(TAP, { kind: 'stall-body', ms: 3000 });
    const error = await failure(provider.fetch('/me', { signal: AbortSignal.timeout(300) }));
    expect(error.reason).toBe('aborted');
    const response = await provider.fetch('/me');
    expect(((await response.json()) as { provider: string }).provider).toBe(TAP);
  });
});

describe('telemetry', () => {
  it('one span per call with provider, method, status and attempts; metrics without tenant or query', async () => {
    const tenant = newTenant();
    spans.reset();
    const response = await client
      .provider(tenant, TAP)
      .request({ path: '/me', query: { access_token: 'q-canary' } });
    // The call (and its span) ends once its body is read.
    await response.json();
    const finished = spans.getFinishedSpans().filter((s) => s.name === `GET ${TAP}`);
    expect(finished).toHaveLength(1);
    expect(finished[0]!.attributes).toMatchObject({
      'hotglue.provider': TAP,
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'hotglue.provider.attempts': 1,
      'hotglue.tenant_id': tenant,
    });
    expect(String(finished[0]!.attributes['url.full'])).not.toContain('?');
    const points = await otel.points('hotglue.provider.request.duration');
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) {
      expect(Object.keys(point.attributes)).not.toContain('hotglue.tenant_id');
      expect(JSON.stringify(point.attributes)).not.toContain('q-canary');
      expect(point.attributes['hotglue.provider']).toBeDefined();
    }
  });
});

describe('expires_in as an epoch', () => {
  it("an emulator answering epoch seconds gives the link's real expiry, not decades ahead", async () => {
    const epochEmulator = await HotglueEmulator.start({
      envId: ENV_ID,
      publicApiKey: CANARY_PUBLIC_KEY,
      secretApiKey: CANARY_SECRET_KEY,
      jwtPublicKeys: [key.publicKeyPem],
      expiresInForm: 'epoch',
    });
    const { client: epochClient, close: closeEpoch } = await createClient(epochEmulator.url, {
      signingKey: key.privateKeyBase64,
      flowId: epochEmulator.defaultFlowId,
    });
    try {
      const config = consentConfig(Date.now());
      delete config.expires_at; // only expires_in says when it ends
      const expiresAt = Date.now() + 1_800_000;
      epochEmulator.linkConnector(undefined, 'epoch', {
        id: CONNECTOR,
        config: { ...config, token_expiry: new Date(expiresAt).toISOString() },
      });
      const answer = (await epochClient.getConnectorAccessToken('epoch', CONNECTOR, {
        flowId: epochEmulator.defaultV2FlowId,
        includeProperties: ['expires_in'],
      })) as { expires_in?: number };
      expect(answer.expires_in).toBe(Math.floor(expiresAt / 1000));
      const credentials = await epochClient.getConnectorCredentials('epoch', CONNECTOR, {
        flowId: epochEmulator.defaultV2FlowId,
      });
      expect(Math.abs(credentials.expiresAt!.getTime() - expiresAt)).toBeLessThan(1000);
    } finally {
      await closeEpoch();
      await epochEmulator.close();
    }
  });
});
