import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueArgumentError, type HotglueClient } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createClient } from './client-harness.js';

/**
 * The shapes hotglue's docs show (issue 18 item 1) and the methods it documents (item 2), client against
 * the real emulator over loopback HTTP. Sources are named per case; docs/client.md lists them.
 */
let emu: HotglueEmulator;
let client: HotglueClient;
let tenantClient: HotglueClient;
const closers: Array<() => Promise<void>> = [];
let F1: string;
let F2: string;

beforeAll(async () => {
  const key = generateTestSigningKey();
  emu = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], requireJwt: true });
  F1 = emu.defaultFlowId;
  F2 = emu.defaultV2FlowId;
  const base = {
    envId: emu.envId,
    publicApiKey: emu.publicApiKey,
    secretApiKey: emu.secretApiKey,
    flowId: F1,
    signingKey: key.privateKeyBase64,
    http: { maxAttempts: 1 },
  };
  const secret = await createClient(emu.url, base);
  client = secret.client;
  closers.push(secret.close);
  const tenant = await createClient(emu.url, { ...base, secretApiKey: undefined });
  tenantClient = tenant.client;
  closers.push(tenant.close);
});

afterAll(async () => {
  for (const close of closers) await close();
  await emu.close();
});

beforeEach(() => emu.clearRequests());

describe('real-time write (https://docs.hotglue.com/api-reference/real-time/write)', () => {
  it('resolves to the documented shape: summary inside state, logs a string', async () => {
    emu.linkConnector(F2, 'rt', { id: 'hubspot', config: {} });
    const result = await client.writeRecords('rt', 'hubspot', 'Contact', { data: { email: 'a@b.c' } }, { flowId: F2 });
    expect(result.state?.summary?.Contact).toEqual({ success: 1, fail: 0, existing: 0, updated: 0 });
    expect(result.state?.bookmarks?.Contact).toEqual([expect.objectContaining({ success: true })]);
    expect(typeof result.logs).toBe('string');
    expect(result).not.toHaveProperty('summary');
    expect(result.async).toBe(false);
    expect(typeof result.taskId).toBe('string');
  });

  it.each([
    ['an array', [{ email: 'a@b.c' }]],
    ['a string', 'a@b.c'],
    ['null', null],
    ['missing', undefined],
  ])('data as %s rejects with HotglueArgumentError naming data, before anything is sent', async (_what, data) => {
    const body = (data === undefined ? {} : { data }) as never;
    const error = await client.writeRecords('rt', 'hubspot', 'Contact', body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueArgumentError);
    expect((error as HotglueArgumentError).argument).toBe('data');
    expect((error as Error).message).toMatch(/^data: must be one JSON object/);
    expect(emu.requests).toHaveLength(0);
  });
});
