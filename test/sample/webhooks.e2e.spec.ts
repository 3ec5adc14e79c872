import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { expectNoLeak } from '../support/leaks.js';
import { CapturedOutput, type SampleTestApp, startSampleTestApp } from './sample-test-app.js';

// Canaries: none may appear in a log line or a response.
const AUTH_SECRET = 'canary-app-auth-secret-webhooks-5a6b7c8d9e0f1a2b';
const WEBHOOK_SECRET = 'canary-webhook-secret-0c1d2e3f4a5b6c7d';
const LINKED_CONFIG = 'canary-linked-config-token-8e9f0a1b';

const key = generateTestSigningKey('sample-webhooks');
const output = new CapturedOutput();
const responses: string[] = [];
let emulator: HotglueEmulator;
let sample: SampleTestApp;
let unsigned: SampleTestApp;

const alice = signAppToken(AUTH_SECRET, { sub: 'alice', tenants: ['tenant-a'] });
const carol = signAppToken(AUTH_SECRET, { sub: 'carol', tenants: ['tenant-a', 'tenant-c'] });
const sign = (body: string) => createHmac('sha1', WEBHOOK_SECRET).update(body).digest('hex');

async function deliver(base: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/hotglue/webhooks`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, text };
}

async function events(base: string, auth?: string, query = '') {
  const res = await fetch(`${base}/hotglue/events${query}`, {
    headers: auth ? { authorization: `Bearer ${auth}` } : {},
  });
  const text = await res.text();
  responses.push(text);
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const job = (status: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    job_id: 'J1',
    flow_id: 'flow-1',
    tenant: 'tenant-a',
    s3_root: 'tenant-a/flows/flow-1/jobs/J1',
    status,
    last_updated: new Date().toISOString(),
    ...extra,
  });

beforeAll(async () => {
  emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKeyPem] });
  const hotglue = { envId: emulator.envId, signingKey: key.privateKeyBase64, apiUrl: emulator.url };
  sample = await startSampleTestApp(
    { authSecret: AUTH_SECRET, hotglue, webhookSecret: WEBHOOK_SECRET, docs: false },
    output,
  );
  unsigned = await startSampleTestApp({ authSecret: AUTH_SECRET, hotglue, docs: false }, output);
});

afterAll(async () => {
  await sample?.close();
  await unsigned?.close();
  await emulator?.close();
  expectNoLeak(output.text(), [WEBHOOK_SECRET, AUTH_SECRET, LINKED_CONFIG], 'logs');
  expectNoLeak(responses.join('\n'), [WEBHOOK_SECRET, AUTH_SECRET, LINKED_CONFIG], 'responses');
});

describe('POST /hotglue/webhooks', () => {
  it('2xx for a valid signature (sha1= prefix too), and a repeated delivery is acknowledged without a new event', async () => {
    const body = job('JOB_CREATED');
    expect((await deliver(sample.url, body, { 'x-hub-signature': sign(body) })).status).toBe(200);
    const again = await deliver(sample.url, body, { 'x-hub-signature': `sha1=${sign(body)}` });
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toMatchObject({ outcome: 'duplicate' });
    const list = (await events(sample.url, alice)).body as Array<{ status: string }>;
    expect(list.filter((e) => e.status === 'JOB_CREATED')).toHaveLength(1);
  });

  it('401 for a missing or wrong signature, and for every delivery when no secret is configured', async () => {
    const body = job('SYNC_STARTED');
    expect((await deliver(sample.url, body)).status).toBe(401);
    expect((await deliver(sample.url, body, { 'x-hub-signature': sign(`${body} `) })).status).toBe(401);
    expect((await deliver(unsigned.url, body, { 'x-hub-signature': sign(body) })).status).toBe(401);
    expect(output.lines.filter((l) => l.includes('No webhook secret'))).toHaveLength(1);
  });

  it('413 over 1 MiB, 400 for a signed body that is not a JSON object, 401 for unsigned garbage; nothing processed', async () => {
    const before = ((await events(sample.url, alice)).body as unknown[]).length;
    const big = job('ETL_STARTED', { pad: 'x'.repeat(1024 * 1024) });
    expect((await deliver(sample.url, big, { 'x-hub-signature': sign(big) })).status).toBe(413);
    expect((await deliver(sample.url, '"text"', { 'x-hub-signature': sign('"text"') })).status).toBe(400);
    expect(
      (await deliver(sample.url, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).status,
    ).toBe(401);
    expect(((await events(sample.url, alice)).body as unknown[]).length).toBe(before);
  });
});

describe('GET /hotglue/events', () => {
  it('lists processed events newest first, no-store, with the same guards as /hotglue/token', async () => {
    const connection = JSON.stringify({
      event: 'LINKED_SOURCE_CREATED',
      tenant: 'tenant-a',
      flow_id: 'flow-1',
      tap: 'salesforce',
      config: { access_token: LINKED_CONFIG },
      timestamp: new Date().toISOString(),
    });
    expect((await deliver(sample.url, connection, { 'x-hub-signature': sign(connection) })).status).toBe(200);
    const other = JSON.stringify({
      event: 'DISCOVER_SUCCESS',
      tenant: 'tenant-c',
      flow_id: 'flow-1',
      tap: 'hubspot',
    });
    expect((await deliver(sample.url, other, { 'x-hub-signature': sign(other) })).status).toBe(200);

    const res = await events(sample.url, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const list = res.body as Array<Record<string, unknown>>;
    expect(list[0]).toMatchObject({
      kind: 'connection',
      tenantId: 'tenant-a',
      action: 'created',
      entity: 'source',
      entityId: 'salesforce',
      flowId: 'flow-1',
    });
    expect(list.at(-1)).toMatchObject({
      kind: 'job',
      jobId: 'J1',
      flowId: 'flow-1',
      status: 'JOB_CREATED',
      tenantId: 'tenant-a',
    });
    for (const entry of list) {
      expect(Object.keys(entry)).toEqual(expect.arrayContaining(['id', 'kind', 'tenantId', 'receivedAt']));
      expect(JSON.stringify(entry)).not.toContain('config');
    }
    expect(list.every((e) => e.tenantId === 'tenant-a')).toBe(true);

    expect((await events(sample.url)).status).toBe(401);
    expect((await events(sample.url, alice, '?tenantId=tenant-c')).status).toBe(403);
    expect((await events(sample.url, carol)).status).toBe(400);
    const tenantC = (await events(sample.url, carol, '?tenantId=tenant-c')).body as Array<
      Record<string, unknown>
    >;
    expect(tenantC).toEqual([
      expect.objectContaining({ kind: 'discover', status: 'DISCOVER_SUCCESS', entityId: 'hubspot' }),
    ]);
  });
});
