import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HotglueAbortError,
  type HotglueClient,
  type HotglueCredentials,
  HotglueCredentialsError,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, createClient, ENV_ID } from '../client/client-harness.js';
import { CapturingLogger, describeError } from '../support/capturing-logger.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { consentConfig, issuedTokens } from './oauth-links.js';

const key = generateTestSigningKey();
const capture = new CapturingLogger();
const errors: unknown[] = [];
const seen: string[] = [];
let emulator: HotglueEmulator;
let client: HotglueClient;
let close: () => Promise<void>;
let tenantSeq = 0;

/** A tenant id of its own per test, so cached entries of one test never serve another. */
const newTenant = () => `t${++tenantSeq}-${Date.now().toString(36)}`;

/** Every returned token is remembered for the leak check (the emulator mints some on refresh). */
function keep(credentials: HotglueCredentials): HotglueCredentials {
  seen.push(credentials.accessToken);
  if (credentials.refreshToken) seen.push(credentials.refreshToken);
  return credentials;
}

async function failure(promise: Promise<unknown>): Promise<HotglueCredentialsError> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    if (error instanceof HotglueCredentialsError) return error;
    throw error;
  }
  throw new Error('expected a HotglueCredentialsError');
}

const sourceFetches = () =>
  emulator.requests.filter((r) => r.path.endsWith('/linkedSources') && r.query.config === 'true').length;
const tokenFetches = () => emulator.requests.filter((r) => r.path.endsWith('/accesstoken')).length;

beforeAll(async () => {
  emulator = await HotglueEmulator.start({
    envId: ENV_ID,
    publicApiKey: CANARY_PUBLIC_KEY,
    secretApiKey: CANARY_SECRET_KEY,
    jwtPublicKeys: [key.publicKeyPem],
    // Read Date.now at each call, so vi's fake Date moves the emulator's clock too.
    clock: () => Date.now(),
  });
  ({ client, close } = await createClient(
    emulator.url,
    { signingKey: key.privateKeyBase64, flowId: emulator.defaultFlowId },
    capture,
  ));
});

afterAll(async () => {
  await close();
  await emulator.close();
  Logger.overrideLogger(false);
  // Over the whole run: no fake OAuth token (created, refreshed or returned) in any log line or error.
  const secrets = [
    CANARY_PUBLIC_KEY,
    CANARY_SECRET_KEY,
    ...pemSecretForms(key.privateKeyPem),
    ...issuedTokens,
    ...seen,
  ];
  expect(errors.length).toBeGreaterThanOrEqual(6);
  for (const error of errors) expectNoLeak(describeError(error), secrets, `error ${(error as Error).name}`);
  expect(capture.lines.some((line) => line.includes('linkedSources'))).toBe(true);
  expectNoLeak(capture.lines.join('\n'), secrets, 'log lines');
  expectNoLeak(inspect(client, { depth: 8 }), secrets, 'inspect(client)');
});

beforeEach(() => emulator.clearRequests());
afterEach(() => vi.useRealTimers());

describe('getSourceCredentials', () => {
  it('secret mode: the linked source config, typed, with the non-secret properties', async () => {
    const tenant = newTenant();
    const config = consentConfig(Date.now(), { instance_url: 'https://acme.my.salesforce.com' });
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config });
    const credentials = keep(await client.getSourceCredentials(tenant, 'salesforce', { auth: 'secret' }));
    expect(credentials.accessToken).toBe(config.access_token);
    expect(credentials.refreshToken).toBe(config.refresh_token);
    expect(credentials.expiresAt?.toISOString()).toBe(config.expires_at);
    expect(credentials.properties).toEqual({ instance_url: 'https://acme.my.salesforce.com' });
    const [request] = emulator.requests;
    expect(request).toMatchObject({ keyKind: 'secret', token: 'absent', status: 200 });
    expect(request?.query).toMatchObject({ config: 'true', tap_name: 'salesforce' });
  });

  it("tenant mode: the public key and the tenant's token", async () => {
    const tenant = newTenant();
    const config = consentConfig();
    emulator.linkSource(undefined, tenant, { tap: 'hubspot', config });
    const credentials = keep(await client.getSourceCredentials(tenant, 'hubspot', { auth: 'tenant' }));
    expect(credentials.accessToken).toBe(config.access_token);
    expect(emulator.requests.at(-1)).toMatchObject({ keyKind: 'public', token: 'valid', status: 200 });
  });

  it('is cached: one hotglue request for many calls; fresh: true asks again', async () => {
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    const first = keep(await client.getSourceCredentials(tenant, 'salesforce'));
    for (let i = 0; i < 10; i++) expect(await client.getSourceCredentials(tenant, 'salesforce')).toBe(first);
    expect(sourceFetches()).toBe(1);
    keep(await client.getSourceCredentials(tenant, 'salesforce', { fresh: true }));
    expect(sourceFetches()).toBe(2);
  });

  it('single flight: 50 concurrent callers share one hotglue request', async () => {
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    const all = await Promise.all(
      Array.from({ length: 50 }, () => client.getSourceCredentials(tenant, 'salesforce')),
    );
    keep(all[0]!);
    expect(new Set(all).size).toBe(1);
    expect(sourceFetches()).toBe(1);
  });

  it('caches until expiresAt minus the margin (60 s), on a fake clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2030, 0, 1, 12);
    vi.setSystemTime(t0);
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig(t0) });
    const first = keep(await client.getSourceCredentials(tenant, 'salesforce'));
    vi.setSystemTime(t0 + 3_600_000 - 60_001);
    expect(await client.getSourceCredentials(tenant, 'salesforce')).toBe(first);
    expect(sourceFetches()).toBe(1);
    // Inside the margin: fetched again; the same token is still valid at hotglue but too close to expiry to
    // cache, so every call asks.
    vi.setSystemTime(t0 + 3_600_000 - 60_000);
    expect((await client.getSourceCredentials(tenant, 'salesforce')).accessToken).toBe(first.accessToken);
    await client.getSourceCredentials(tenant, 'salesforce');
    expect(sourceFetches()).toBe(3);
    // Past expiry the emulator refreshes the token (as hotglue does), which is cached again.
    vi.setSystemTime(t0 + 3_600_000 + 1_000);
    const refreshed = keep(await client.getSourceCredentials(tenant, 'salesforce'));
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.expiresAt?.getTime()).toBe(t0 + 3_600_000 + 1_000 + 3_600_000);
    expect(await client.getSourceCredentials(tenant, 'salesforce')).toBe(refreshed);
    expect(sourceFetches()).toBe(4);
  });

  it('without any expiry: cached for the short default TTL (60 s)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2030, 0, 2);
    vi.setSystemTime(t0);
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, {
      tap: 'salesforce',
      config: { access_token: 'static-at-canary-7e1d' },
    });
    issuedTokens.push('static-at-canary-7e1d');
    const first = keep(await client.getSourceCredentials(tenant, 'salesforce'));
    expect(first.expiresAt).toBeUndefined();
    vi.setSystemTime(t0 + 59_999);
    await client.getSourceCredentials(tenant, 'salesforce');
    expect(sourceFetches()).toBe(1);
    vi.setSystemTime(t0 + 60_000);
    await client.getSourceCredentials(tenant, 'salesforce');
    expect(sourceFetches()).toBe(2);
  });

  it('a caller that aborts stops only its own wait', async () => {
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    emulator.injectFault({ kind: 'stall-headers', ms: 300 }, { path: /linkedSources$/ });
    const controller = new AbortController();
    const aborted = client.getSourceCredentials(tenant, 'salesforce', { signal: controller.signal });
    const patient = client.getSourceCredentials(tenant, 'salesforce');
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(HotglueAbortError);
    keep(await patient);
    expect(sourceFetches()).toBe(1);
  });
});

describe('getConnectorCredentials', () => {
  it('accesstoken with include_properties, always with the secret key', async () => {
    const tenant = newTenant();
    const config = consentConfig(Date.now(), { instance_url: 'https://api.hubapi.com', region: 'eu' });
    emulator.linkConnector(undefined, tenant, { id: 'hubspot', config });
    const credentials = keep(
      await client.getConnectorCredentials(tenant, 'hubspot', {
        flowId: emulator.defaultV2FlowId,
        properties: ['instance_url'],
      }),
    );
    expect(credentials.accessToken).toBe(config.access_token);
    expect(credentials.refreshToken).toBe(config.refresh_token);
    expect(credentials.expiresAt?.toISOString()).toBe(config.expires_at);
    expect(credentials.properties).toEqual({ instance_url: 'https://api.hubapi.com' });
    const request = emulator.requests.at(-1)!;
    expect(request.keyKind).toBe('secret');
    expect(request.query.include_properties?.split(',').sort()).toEqual(
      ['expires_at', 'expires_in', 'instance_url', 'refresh_token', 'token_expiry'].sort(),
    );
  });

  it('expires_in alone counts from the fetch; cached until 60 s before that', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const t0 = Date.UTC(2030, 0, 3);
    vi.setSystemTime(t0);
    const tenant = newTenant();
    emulator.linkConnector(undefined, tenant, {
      id: 'salesforce',
      config: { access_token: 'conn-at-canary-51c9', expires_in: 120 },
    });
    issuedTokens.push('conn-at-canary-51c9');
    const flowId = emulator.defaultV2FlowId;
    const first = keep(await client.getConnectorCredentials(tenant, 'salesforce', { flowId }));
    expect(first.expiresAt?.getTime()).toBe(t0 + 120_000);
    vi.setSystemTime(t0 + 59_999);
    expect(await client.getConnectorCredentials(tenant, 'salesforce', { flowId })).toBe(first);
    expect(tokenFetches()).toBe(1);
    vi.setSystemTime(t0 + 60_000);
    await client.getConnectorCredentials(tenant, 'salesforce', { flowId });
    expect(tokenFetches()).toBe(2);
  });

  it('is cached and shared like sources; different properties are separate entries', async () => {
    const tenant = newTenant();
    emulator.linkConnector(undefined, tenant, { id: 'hubspot', config: consentConfig() });
    const flowId = emulator.defaultV2FlowId;
    const all = await Promise.all(
      Array.from({ length: 50 }, () => client.getConnectorCredentials(tenant, 'hubspot', { flowId })),
    );
    keep(all[0]!);
    expect(new Set(all).size).toBe(1);
    await client.getConnectorCredentials(tenant, 'hubspot', { flowId, properties: ['region'] });
    await client.getConnectorCredentials(tenant, 'hubspot', { flowId, properties: ['region'] });
    expect(tokenFetches()).toBe(2);
  });
});

describe('evictCredentials', () => {
  it("drops one entity's or every cached credential of a tenant, synchronously, and no other tenant's", async () => {
    const [a, b] = [newTenant(), newTenant()];
    const flowId = emulator.defaultV2FlowId;
    for (const tenant of [a, b]) {
      emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
      emulator.linkSource(undefined, tenant, { tap: 'hubspot', config: consentConfig() });
      emulator.linkConnector(undefined, tenant, { id: 'hubspot', config: consentConfig() });
    }
    const fill = async (tenant: string) => {
      keep(await client.getSourceCredentials(tenant, 'salesforce'));
      keep(await client.getSourceCredentials(tenant, 'hubspot'));
      keep(await client.getConnectorCredentials(tenant, 'hubspot', { flowId }));
    };
    await fill(a);
    await fill(b);
    const fetches = () => sourceFetches() + tokenFetches();
    expect(fetches()).toBe(6);

    expect(client.evictCredentials(a, 'salesforce')).toBeUndefined();
    await fill(a);
    expect(fetches()).toBe(7);

    client.evictCredentials(a, 'hubspot'); // the source and the connector of that name
    await fill(a);
    expect(fetches()).toBe(9);

    client.evictCredentials(a);
    await fill(a);
    await fill(b);
    expect(fetches()).toBe(12);
  });
});

describe('typed failures, never cached', () => {
  it('not-linked', async () => {
    const tenant = newTenant();
    const source = await failure(client.getSourceCredentials(tenant, 'salesforce'));
    expect(source).toMatchObject({
      reason: 'not-linked',
      kind: 'source',
      tenantId: tenant,
      entity: 'salesforce',
    });
    const connector = await failure(
      client.getConnectorCredentials(tenant, 'hubspot', { flowId: emulator.defaultV2FlowId }),
    );
    expect(connector).toMatchObject({ reason: 'not-linked', kind: 'connector' });
    expect(connector.cause).toMatchObject({ status: 404 });
    // Not cached: once linked, the next call succeeds.
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    keep(await client.getSourceCredentials(tenant, 'salesforce'));
  });

  it('no-token', async () => {
    const tenant = newTenant();
    emulator.linkSource(undefined, tenant, { tap: 'csv', config: { path: '/data' } });
    emulator.linkConnector(undefined, tenant, { id: 'hubspot', config: { api_url: 'x' } });
    expect(await failure(client.getSourceCredentials(tenant, 'csv'))).toMatchObject({ reason: 'no-token' });
    expect(
      await failure(client.getConnectorCredentials(tenant, 'hubspot', { flowId: emulator.defaultV2FlowId })),
    ).toMatchObject({ reason: 'no-token' });
  });

  it('revoked: the message says the tenant must reconnect; reconnecting works at once', async () => {
    const tenant = newTenant();
    const flowId = emulator.defaultV2FlowId;
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    emulator.linkConnector(undefined, tenant, { id: 'hubspot', config: consentConfig() });
    keep(await client.getSourceCredentials(tenant, 'salesforce'));
    expect(emulator.revokeCredentials(tenant)).toBe(2);
    // The cached copy is still served until evicted (a connection webhook or the host does that).
    client.evictCredentials(tenant);
    for (const attempt of [
      () => client.getSourceCredentials(tenant, 'salesforce'),
      () => client.getSourceCredentials(tenant, 'salesforce', { auth: 'tenant' }),
      () => client.getConnectorCredentials(tenant, 'hubspot', { flowId }),
    ]) {
      const error = await failure(attempt());
      expect(error.reason).toBe('revoked');
      expect(error.message).toMatch(/reconnect/);
      expect(error.cause).toMatchObject({ status: 400 });
    }
    expect(sourceFetches()).toBe(3);
    emulator.linkSource(undefined, tenant, { tap: 'salesforce', config: consentConfig() });
    keep(await client.getSourceCredentials(tenant, 'salesforce'));
    expect(sourceFetches()).toBe(4);
  });

  it('bad arguments fail before any request', async () => {
    await expect(client.getSourceCredentials('../x', 'salesforce')).rejects.toMatchObject({
      code: 'HOTGLUE_TENANT_ID_INVALID',
    });
    await expect(client.getSourceCredentials('acme', '')).rejects.toMatchObject({ argument: 'tap' });
    await expect(
      client.getConnectorCredentials('acme', 'c', { properties: ['a,b'] as string[] }),
    ).rejects.toMatchObject({ argument: 'properties' });
    expect(emulator.requests).toHaveLength(0);
  });
});

describe('credentialsProperties: the host extends the allow-list', () => {
  it('a named field reaches properties; unnamed and secret-looking ones do not; URLs lose their password', async () => {
    const own = await createClient(emulator.url, {
      signingKey: key.privateKeyBase64,
      flowId: emulator.defaultFlowId,
      credentialsProperties: ['company_slug', 'database_url'],
    });
    try {
      const tenant = newTenant();
      const config = consentConfig(Date.now(), {
        instance_url: 'https://acme.my.salesforce.com',
        company_slug: 'acme',
        page_size: 100,
        passphrase: 'canary-passphrase-2b7d',
        pat: 'canary-pat-9e1f',
        database_url: 'postgres://app:canary-db-pw-5c3a@db.example.com:5432/app',
      });
      emulator.linkSource(undefined, tenant, { tap: 'salesforce', config });
      const credentials = keep(await own.client.getSourceCredentials(tenant, 'salesforce'));
      expect(credentials.properties).toEqual({
        instance_url: 'https://acme.my.salesforce.com',
        company_slug: 'acme',
        database_url: 'postgres://db.example.com:5432/app',
      });
    } finally {
      await own.close();
    }
  });

  it('refuses a secret-looking name at boot, naming the option but not the name', async () => {
    const { HotglueConfigError } = await import('../../src/hotglue/index.js');
    const { validateHotglueOptions } = await import('../support/library-internals.js');
    let caught: unknown;
    try {
      validateHotglueOptions({
        envId: ENV_ID,
        signingKey: key.privateKeyBase64,
        credentialsProperties: ['region', 'x_api_passphrase_canary'],
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HotglueConfigError);
    const message = (caught as Error).message;
    expect(message).toContain('credentialsProperties');
    expect(message).toContain('looks like the name of a secret');
    expect(message).not.toContain('x_api_passphrase_canary');
  });
});
