import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOTGLUE_HTTP_POOL } from '../../src/hotglue/client/client.constants.js';
import type { HotglueHttpPool } from '../../src/hotglue/client/http-pool.js';
import { HotglueClient, HotglueModule } from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { HotglueApiKeyMissingError, HotglueFlowIdMissingError } from '../support/library-internals.js';
import { CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, createClient, ENV_ID, FLOW_ID } from './client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from './scripted-server.js';

/** Bodies, headers and auth defaults, seen raw by a scripted server (the emulator does not log bodies). */
let server: ScriptedServer;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startScriptedServer((_req, res) => json(res, 200, {}));
  closers.push(server.close);
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});
beforeEach(() => {
  server.requests.length = 0;
});

async function clientWith(overrides: Record<string, unknown>): Promise<HotglueClient> {
  const harness = await createClient(server.url, overrides);
  closers.push(harness.close);
  return harness.client;
}

describe('request bodies and headers', () => {
  let client: HotglueClient;
  beforeAll(async () => {
    client = await clientWith({});
  });

  it.each([
    [
      'linkSource',
      (c: HotglueClient) =>
        c.linkSource('t', { source: { tap: 'hubspot', config: { k: 1 } }, field_map: { a: 'b' } }),
      { source: { tap: 'hubspot', config: { k: 1 } }, field_map: { a: 'b' } },
    ],
    [
      'updateLinkedSource',
      (c: HotglueClient) => c.updateLinkedSource('t', { tap: 'x', config: { k: 2 } }),
      { tap: 'x', config: { k: 2 } },
    ],
    [
      'linkTarget',
      (c: HotglueClient) => c.linkTarget('t', { target: { target: 'csv' } }),
      { target: { target: 'csv' } },
    ],
    [
      'linkConnector',
      (c: HotglueClient) => c.linkConnector('t', { connector: { id: 'c' } }),
      { connector: { id: 'c' } },
    ],
    [
      'updateLinkedConnector',
      (c: HotglueClient) => c.updateLinkedConnector('t', { connector_id: 'c', field_map: {} }),
      { connector_id: 'c', field_map: {} },
    ],
    [
      'setConnectorState',
      (c: HotglueClient) => c.setConnectorState('t', 'c', { bookmarks: { s: 1 } }),
      { state: { bookmarks: { s: 1 } } },
    ],
    ['runJob', (c: HotglueClient) => c.runJob('t'), {}],
    [
      'runConnectorJob',
      (c: HotglueClient) => c.runConnectorJob('t', { connector_id: 'c', job_type: 'write' }),
      { connector_id: 'c', job_type: 'write' },
    ],
    [
      'updateSchedule',
      (c: HotglueClient) =>
        c.updateSchedule('t', { schedule_expression: 'cron(0 0 * * ? *)', state: 'DISABLED' }),
      { schedule_expression: 'cron(0 0 * * ? *)', state: 'DISABLED' },
    ],
    [
      'createMagicLink',
      (c: HotglueClient) => c.createMagicLink({ tenant: 't', type: 'connectors', flow: 'f', entityId: 'e' }),
      { tenant: 't', type: 'connectors', flow: 'f', entityId: 'e' },
    ],
    [
      'writeRecords',
      (c: HotglueClient) => c.writeRecords('t', 'c', 's', { data: { id: 1 }, async: false }),
      { data: { id: 1 }, async: false },
    ],
  ] as const)('%s sends its JSON body', async (_name, call, body) => {
    await call(client);
    const [request] = server.requests;
    expect(JSON.parse(request!.body)).toEqual(body);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-api-key']).toBe(CANARY_SECRET_KEY);
    expect(request!.headers.authorization).toBeUndefined();
  });

  it('GETs send no body and no content-type', async () => {
    await client.getLinkedSources('t');
    expect(server.requests[0]).toMatchObject({ method: 'GET', body: '' });
    expect(server.requests[0]!.headers['content-type']).toBeUndefined();
    expect(server.requests[0]!.url).toBe(`/${ENV_ID}/${FLOW_ID}/t/linkedSources`);
  });

  it('returns unknown response fields untouched', async () => {
    const echo = await startScriptedServer((_req, res) =>
      json(res, 200, [{ tap: 'x', brand_new_field: { n: 1 } }]),
    );
    closers.push(echo.close);
    const other = await clientWith({ apiUrl: echo.url });
    await expect(other.getLinkedSources('t')).resolves.toEqual([{ tap: 'x', brand_new_field: { n: 1 } }]);
  });

  it('keeps a path prefix of apiUrl', async () => {
    const prefixed = await clientWith({ apiUrl: `${server.url}/proxy/hotglue/` });
    await prefixed.getSupportedFlows();
    expect(server.requests[0]!.url).toBe(`/proxy/hotglue/${ENV_ID}/flows/supported`);
  });
});

describe('auth defaults and missing settings', () => {
  it('defaults to secret when a secret key is configured', async () => {
    const client = await clientWith({});
    await client.getLinkedSources('t');
    expect(server.requests[0]!.headers['x-api-key']).toBe(CANARY_SECRET_KEY);
    expect(server.requests[0]!.url).not.toContain('token=');
  });

  it('defaults to tenant (public key + token) without a secret key', async () => {
    const client = await clientWith({ secretApiKey: undefined });
    await client.getLinkedSources('t');
    expect(server.requests[0]!.headers['x-api-key']).toBe(CANARY_PUBLIC_KEY);
    expect(server.requests[0]!.url).toMatch(/\/linkedSources\?token=eyJ/);
    // Every tenant-specific route carries the token (Require-JWT environments), jobs too.
    await client.listJobs('t');
    expect(server.requests[1]!.url).toMatch(new RegExp(`^/${ENV_ID}/${FLOW_ID}/t/jobs\\?token=eyJ`));
    // A route that names no tenant: the public key goes alone.
    await client.getSupportedFlows();
    expect(server.requests[2]!.url).toBe(`/${ENV_ID}/flows/supported`);
  });

  it('throws HotglueApiKeyMissingError naming the variable, before sending', async () => {
    const publicOnly = await clientWith({ secretApiKey: undefined });
    await expect(publicOnly.getLinkedSources('t', { auth: 'secret' })).rejects.toThrow(
      HotglueApiKeyMissingError,
    );
    await expect(publicOnly.listTenants()).rejects.toThrow(/HOTGLUE_SECRET_API_KEY/);
    const secretOnly = await clientWith({ publicApiKey: undefined });
    await expect(secretOnly.getLinkedSources('t', { auth: 'tenant' })).rejects.toThrow(
      /HOTGLUE_PUBLIC_API_KEY/,
    );
    expect(server.requests).toHaveLength(0);
  });

  it('throws HotglueFlowIdMissingError naming HOTGLUE_FLOW_ID when no flow id is known', async () => {
    const client = await clientWith({ flowId: undefined });
    await expect(client.getLinkedSources('t')).rejects.toThrow(HotglueFlowIdMissingError);
    await expect(client.getLinkedSources('t')).rejects.toThrow(/HOTGLUE_FLOW_ID/);
    await client.getLinkedSources('t', { flowId: 'other' });
    expect(server.requests.map((r) => r.url)).toEqual([`/${ENV_ID}/other/t/linkedSources`]);
  });

  it('refuses an unknown auth mode', async () => {
    const client = await clientWith({});
    await expect(client.getLinkedSources('t', { auth: 'admin' as never })).rejects.toThrow(/auth/);
  });
});

describe('pool lifecycle', () => {
  it('builds one keep-alive pool per module and closes it on shutdown', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          envId: ENV_ID,
          signingKey: generateTestSigningKey().privateKeyBase64,
          secretApiKey: CANARY_SECRET_KEY,
          apiUrl: server.url,
          flowId: FLOW_ID,
        }),
      ],
    }).compile();
    const pool = moduleRef.get<symbol, HotglueHttpPool>(HOTGLUE_HTTP_POOL);
    const client = moduleRef.get(HotglueClient);
    await client.getSupportedFlows();
    expect(pool.closed).toBe(false);
    await moduleRef.close();
    expect(pool.closed).toBe(true);
    // A call after shutdown fails at once (a closed pool is not a transient failure: no retries).
    await expect(client.getSupportedFlows()).rejects.toMatchObject({
      code: 'HOTGLUE_NETWORK_ERROR',
      attempts: 1,
    });
  });
});
