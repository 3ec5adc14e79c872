import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { consentConfig } from '../credentials/oauth-links.js';
import { call, pathOf } from './emulator-helpers.js';

/** The emulator's clock, moved by hand. */
let now = Date.UTC(2030, 5, 1, 8);
let emulator: HotglueEmulator;
let seq = 0;

const tenant = () => `tenant-${++seq}`;

async function me(tap: string, accessToken: string | undefined) {
  return call(emulator, 'GET', `/_provider/${tap}/me`, {
    key: 'none',
    headers: accessToken === undefined ? {} : { authorization: `Bearer ${accessToken}` },
  });
}

function accessTokenPath(flow: string, t: string, connector: string) {
  return pathOf(emulator.envId, flow, t, 'connectors', connector, 'accesstoken');
}

beforeAll(async () => {
  emulator = await HotglueEmulator.start({ clock: () => now });
});
afterAll(() => emulator.close());
beforeEach(() => {
  now += 86_400_000;
});

describe('emulated provider API (/_provider/{tap}/me)', () => {
  it('answers a small profile, without any credential, for a current access token of that tap', async () => {
    const t = tenant();
    const config = consentConfig(now);
    emulator.linkSource(undefined, t, { tap: 'salesforce', config });
    const res = await me('salesforce', config.access_token as string);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toMatchObject({
      provider: 'salesforce',
      id: expect.stringMatching(/^emu-user-/),
      organization: { name: expect.stringContaining(t) },
    });
    expect(res.text).not.toContain(config.access_token as string);
    expect(res.text).not.toContain(config.refresh_token as string);
    // Stable per tenant and tap.
    expect((await me('salesforce', config.access_token as string)).json).toEqual(res.json);
    // Connectors' tokens work too, under their connector id.
    const connector = consentConfig(now);
    emulator.linkConnector(undefined, t, { id: 'hubspot', config: connector });
    expect((await me('hubspot', connector.access_token as string)).status).toBe(200);
  });

  it('refuses with 401 invalid_token: no token, unknown, other tap, expired, revoked', async () => {
    const t = tenant();
    const config = consentConfig(now);
    emulator.linkSource(undefined, t, { tap: 'salesforce', config });
    const token = config.access_token as string;
    const refused = [
      await me('salesforce', undefined),
      await me('salesforce', 'emu-at-not-issued'),
      await me('hubspot', token),
    ];
    now += 3_600_000; // exactly at expires_at
    refused.push(await me('salesforce', token));
    now -= 1;
    expect((await me('salesforce', token)).status).toBe(200);
    emulator.revokeCredentials(t, 'salesforce');
    refused.push(await me('salesforce', token));
    for (const res of refused) {
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ error: 'invalid_token' });
      expect(res.headers['www-authenticate']).toContain('invalid_token');
    }
    // Every path of the tap's API checks the bearer, not only /me.
    expect((await me('salesforce/extra', token)).status).toBe(401);
    // Not hotglue's API: no request-log entry, no API key needed.
    expect(emulator.requests.some((r) => r.path.startsWith('/_provider'))).toBe(false);
    expect(emulator.providerUrl('sales force')).toBe(`${emulator.url}/_provider/sales%20force`);
  });
});

describe('accesstoken and linkedSources?config=true hand out current credentials', () => {
  it('expires_in is the time left on the clock; an expired token is refreshed and stored', async () => {
    const t = tenant();
    const flow = emulator.defaultV2FlowId;
    const config = consentConfig(now);
    emulator.linkConnector(undefined, t, { id: 'salesforce', config });
    now += 600_000;
    const query = { include_properties: 'expires_in,expires_at,refresh_token' };
    const fresh = await call(emulator, 'GET', accessTokenPath(flow, t, 'salesforce'), { query });
    expect(fresh.json).toEqual({
      success: true,
      access_token: config.access_token,
      refresh_token: config.refresh_token,
      expires_at: config.expires_at,
      expires_in: 3000,
    });
    now += 3_000_000;
    const refreshed = await call(emulator, 'GET', accessTokenPath(flow, t, 'salesforce'), { query });
    const body = refreshed.json as Record<string, unknown>;
    expect(body.access_token).toMatch(/^emu-at-/);
    expect(body.access_token).not.toBe(config.access_token);
    expect(body).toMatchObject({ expires_in: 3600, expires_at: new Date(now + 3_600_000).toISOString() });
    // The provider takes the new token and no longer the old one.
    expect((await me('salesforce', body.access_token as string)).status).toBe(200);
    expect((await me('salesforce', config.access_token as string)).status).toBe(401);
  });

  it('V1 config reads refresh the same way', async () => {
    const t = tenant();
    const config = consentConfig(now);
    emulator.linkSource(undefined, t, { tap: 'hubspot', config });
    now += 3_700_000;
    const path = pathOf(emulator.envId, emulator.defaultFlowId, t, 'linkedSources');
    const res = await call(emulator, 'GET', path, { query: { config: 'true' } });
    const [source] = res.json as Array<{ config: Record<string, unknown> }>;
    expect(source?.config.access_token).not.toBe(config.access_token);
    expect(source?.config.refresh_token).toBe(config.refresh_token);
    // Without config=true nothing is refreshed or revealed.
    const plain = await call(emulator, 'GET', path);
    expect((plain.json as Array<Record<string, unknown>>)[0]).not.toHaveProperty('config');
  });

  it("revokeCredentials: 400 Failed OAuth login on both routes until the tenant links again; others' untouched", async () => {
    const [t, other] = [tenant(), tenant()];
    const flow = emulator.defaultV2FlowId;
    for (const who of [t, other]) {
      emulator.linkSource(undefined, who, { tap: 'salesforce', config: consentConfig(now) });
      emulator.linkConnector(undefined, who, { id: 'hubspot', config: consentConfig(now) });
    }
    expect(emulator.revokeCredentials(t)).toBe(2);
    const sources = pathOf(emulator.envId, emulator.defaultFlowId, t, 'linkedSources');
    for (const res of [
      await call(emulator, 'GET', sources, { query: { config: 'true', tap_name: 'salesforce' } }),
      await call(emulator, 'GET', accessTokenPath(flow, t, 'hubspot')),
    ]) {
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({
        Code: 'BadRequestError',
        Message: expect.stringMatching(/^Failed OAuth login/),
      });
    }
    expect((await call(emulator, 'GET', accessTokenPath(flow, other, 'hubspot'))).status).toBe(200);
    // Listing without config still works (the widget shows the source as linked).
    expect((await call(emulator, 'GET', sources)).status).toBe(200);
    emulator.linkConnector(undefined, t, { id: 'hubspot', config: consentConfig(now) });
    expect((await call(emulator, 'GET', accessTokenPath(flow, t, 'hubspot'))).status).toBe(200);
  });

  it('a link without an access token answers { success: false }', async () => {
    const t = tenant();
    emulator.linkConnector(undefined, t, { id: 'hubspot', config: { api_url: 'x' } });
    const res = await call(emulator, 'GET', accessTokenPath(emulator.defaultV2FlowId, t, 'hubspot'));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ success: false });
  });
});
