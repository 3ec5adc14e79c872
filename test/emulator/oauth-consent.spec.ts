import { afterEach, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { call, pathOf, signToken } from './emulator-helpers.js';

/** The emulated OAuth provider behind the local catalogue's `tap_url`: consent page, Allow, Deny, reconnect. */
describe('HotglueEmulator OAuth consent', () => {
  const key = generateTestSigningKey();
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function start() {
    // The widget's own token rules: its reconnect PATCH carries no token.
    const emulator = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], requireJwt: 'widget' });
    cleanup.push(() => emulator.close());
    return emulator;
  }

  /** The popup URL exactly as the widget builds it: `tap_url` + `&state=` + URI-encoded JSON + redirect. */
  async function popupUrl(emulator: HotglueEmulator, tap: string, tenant = 'demo'): Promise<string> {
    const sources = (
      await call(emulator, 'GET', `${pathOf(emulator.envId, emulator.defaultFlowId, 'supportedSources')}?`)
    ).json as Array<{ tap: string; tap_url: string }>;
    const tapUrl = sources.find((source) => source.tap === tap)!.tap_url;
    const state = {
      user_id: tenant,
      env_id: emulator.envId,
      flow: emulator.defaultFlowId,
      tap_name: tap,
      api_url: 'https://client-api.hotglue.xyz/tap/auth',
      api_key: emulator.publicApiKey,
      domain: 'hotglue.xyz',
    };
    return `${tapUrl}&state=${encodeURIComponent(JSON.stringify(state))}&redirect_uri=https://hotglue.xyz/callback`;
  }

  /** Opens the consent page and submits its form with `decision`; returns the decision page. */
  async function consent(
    url: string,
    decision: 'allow' | 'deny',
  ): Promise<{ page: string; result: Response }> {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await page.text();
    const request = /name="request" value="([^"]+)"/.exec(html)![1]!;
    const result = await fetch(new URL('/_oauth/consent', url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request, decision }).toString(),
    });
    return { page: html, result };
  }

  async function linkedSources(emulator: HotglueEmulator, tenant = 'demo') {
    const token = await signToken(key.privateKey, tenant);
    const response = await call(
      emulator,
      'GET',
      pathOf(emulator.envId, emulator.defaultFlowId, tenant, 'linkedSources'),
      {
        key: 'public',
        query: { config: 'true', login_state: 'true', token },
      },
    );
    expect(response.status).toBe(200);
    return response.json as Array<Record<string, unknown> & { config?: Record<string, unknown> }>;
  }

  it('Allow stores the linked source with a fake credential in config, as the widget polls for it', async () => {
    const emulator = await start();
    const url = await popupUrl(emulator, 'hubspot');
    expect(new URL(url).origin).toBe(emulator.url);
    const before = Date.now();
    const { page, result } = await consent(url, 'allow');
    expect(page).toContain('HubSpot');
    expect(page).toContain('demo');
    expect(result.status).toBe(200);
    const linked = await linkedSources(emulator);
    expect(linked).toEqual([
      expect.objectContaining({ tap: 'hubspot', tenant_id: 'demo', label: 'HubSpot' }),
    ]);
    const config = linked[0]!.config!;
    expect(config).toMatchObject({
      access_token: expect.stringMatching(/^emu-at-[\w-]{16,}$/),
      refresh_token: expect.stringMatching(/^emu-rt-[\w-]{16,}$/),
      token_type: 'Bearer',
      expires_in: 3600,
      instance_url: expect.stringMatching(new RegExp(`^${emulator.url}/`)),
    });
    const expiresAt = Date.parse(String(config.expires_at));
    expect(expiresAt - before).toBeGreaterThanOrEqual(3600_000 - 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(3600_000);
  });

  it('Deny links nothing, and a consent request cannot be answered twice', async () => {
    const emulator = await start();
    const page = await (await fetch(await popupUrl(emulator, 'salesforce'))).text();
    const request = /name="request" value="([^"]+)"/.exec(page)![1]!;
    const post = (decision: string) =>
      fetch(`${emulator.url}/_oauth/consent`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, decision }).toString(),
      });
    expect((await post('deny')).status).toBe(200);
    expect(await linkedSources(emulator)).toEqual([]);
    const replay = await post('allow');
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ Code: 'BadRequestError' });
    expect(await linkedSources(emulator)).toEqual([]);
  });

  it('reconnect: the widget flags isReconnecting, Allow replaces the credential and clears the flag', async () => {
    const emulator = await start();
    await consent(await popupUrl(emulator, 'hubspot'), 'allow');
    const first = (await linkedSources(emulator))[0]!.config!.access_token;
    await call(emulator, 'PATCH', pathOf(emulator.envId, emulator.defaultFlowId, 'demo', 'linkedSources'), {
      key: 'public',
      body: { tap: 'hubspot', config: { isReconnecting: true } },
    });
    expect((await linkedSources(emulator))[0]).toMatchObject({ isReconnecting: true });
    const { page } = await consent(await popupUrl(emulator, 'hubspot'), 'allow');
    expect(page).toContain('Reconnect');
    const after = (await linkedSources(emulator))[0]!;
    expect(after.isReconnecting).toBeUndefined();
    expect(after.config!.isReconnecting).toBeUndefined();
    expect(after.config!.access_token).not.toBe(first);
  });

  it('links a V2 connector from the state of a connector popup (entity_id, entity_type)', async () => {
    const emulator = await start();
    const connectors = (
      await call(
        emulator,
        'GET',
        pathOf('v2', emulator.envId, emulator.defaultV2FlowId, 'supportedConnectors'),
      )
    ).json as Array<{ id: string; auth_url?: string }>;
    const authUrl = connectors.find((connector) => connector.id === 'salesforce')!.auth_url!;
    expect(authUrl.startsWith(`${emulator.url}/_oauth/authorize?`)).toBe(true);
    const state = {
      user_id: 'demo',
      env_id: emulator.envId,
      flow: emulator.defaultV2FlowId,
      flowVersion: 2,
      entity_id: 'salesforce',
      entity_type: 'connector',
    };
    const { result } = await consent(
      `${authUrl}&state=${encodeURIComponent(JSON.stringify(state))}`,
      'allow',
    );
    expect(result.status).toBe(200);
    const token = await signToken(key.privateKey, 'demo');
    const linked = await call(
      emulator,
      'GET',
      pathOf('v2', emulator.envId, emulator.defaultV2FlowId, 'demo', 'linkedConnectors'),
      { key: 'public', query: { config: 'true', token } },
    );
    expect(linked.json).toEqual([
      expect.objectContaining({
        id: 'salesforce',
        tenant_id: 'demo',
        config: expect.objectContaining({ access_token: expect.stringMatching(/^emu-at-/) }),
      }),
    ]);
  });

  it('refuses an unreadable state, another environment or an unknown source with { Code, Message }', async () => {
    const emulator = await start();
    const noState = await fetch(`${emulator.url}/_oauth/authorize?provider=hubspot`);
    expect(noState.status).toBe(400);
    expect(await noState.json()).toMatchObject({ Code: 'BadRequestError', Message: expect.any(String) });
    const state = (fields: object) => encodeURIComponent(JSON.stringify(fields));
    const base = { user_id: 'demo', env_id: emulator.envId, flow: emulator.defaultFlowId };
    const otherEnv = await fetch(
      `${emulator.url}/_oauth/authorize?state=${state({ ...base, env_id: 'x', tap_name: 'hubspot' })}`,
    );
    expect(otherEnv.status).toBe(404);
    const unknown = await fetch(
      `${emulator.url}/_oauth/authorize?state=${state({ ...base, tap_name: 'nope' })}`,
    );
    expect(unknown.status).toBe(404);
    // Outside text is escaped on the page.
    const tenant = '<img src=x onerror=alert(1)>';
    const page = await (
      await fetch(
        `${emulator.url}/_oauth/authorize?state=${state({ ...base, user_id: tenant, tap_name: 'hubspot' })}`,
      )
    ).text();
    expect(page).not.toContain(tenant);
    expect(page).toContain('&#60;img');
  });
});
