import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPrincipal } from '../../src/sample/auth/index.js';
import { toPublicLinkedSource } from '../../src/sample/hotglue/public-linked-source.js';
import { LOCAL_MODE_HEADLINE, renderLocalBanner } from '../../src/sample/local-mode/banner.js';
import { decideSampleMode } from '../../src/sample/local-mode/decide-mode.js';
import { loadOrCreateDevSigningKey } from '../../src/sample/local-mode/dev-signing-key.js';
import { readSampleEnv } from '../../src/sample/sample-env.js';

describe('decideSampleMode', () => {
  it('is local with no HOTGLUE_* variable outside production', () => {
    expect(decideSampleMode({ PATH: '/bin', PORT: '3000' }, true)).toBe('local');
    expect(decideSampleMode({ HOTGLUE_ENV_ID: '  ' }, true)).toBe('local');
  });
  it('stays local with only HOTGLUE_WEBHOOK_QUEUE_REDIS_URL (the demo in queue mode), which readSampleEnv reads', () => {
    const env = { HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(decideSampleMode(env, true)).toBe('local');
    expect(readSampleEnv(env, false).env.webhookQueueRedisUrl).toBe('redis://127.0.0.1:6379');
    const bad = readSampleEnv({ HOTGLUE_WEBHOOK_QUEUE_REDIS_URL: 'http://:canary-pw@x' }, false);
    expect(bad.issues.map((issue) => issue.path)).toEqual(['HOTGLUE_WEBHOOK_QUEUE_REDIS_URL']);
    expect(JSON.stringify(bad.issues)).not.toContain('canary-pw');
  });
  it('is configured as soon as one HOTGLUE_* variable is set', () => {
    expect(decideSampleMode({ HOTGLUE_API_URL: 'https://x' }, true)).toBe('configured');
  });
  it('is never local in production or under --prod', () => {
    expect(decideSampleMode({ NODE_ENV: 'production' }, true)).toBe('configured');
    expect(decideSampleMode({}, false)).toBe('configured');
  });
});

describe('readSampleEnv', () => {
  const secret = 'x'.repeat(32);
  it('applies defaults', () => {
    const { env, issues } = readSampleEnv({ APP_AUTH_SECRET: secret }, true);
    expect(issues).toEqual([]);
    expect(env).toMatchObject({ port: 3000, rateLimit: 30, corsOrigins: [], production: false });
    expect(env.host).toBeUndefined();
    expect(env.webhookSecrets).toBeUndefined();
  });
  it('reads the per-subscription webhook secrets beside HOTGLUE_WEBHOOK_SECRET', () => {
    const { env } = readSampleEnv(
      {
        APP_AUTH_SECRET: secret,
        HOTGLUE_WEBHOOK_SECRET: 'shared',
        HOTGLUE_WEBHOOK_SECRET_CONNECTION: 'conn',
      },
      true,
    );
    expect(env.webhookSecret).toBe('shared');
    expect(env.webhookSecrets).toEqual({ connection: 'conn' });
  });
  it('lists every problem without echoing the secret', () => {
    const { issues } = readSampleEnv(
      { APP_AUTH_SECRET: 'short-canary', PORT: 'eighty', APP_RATE_LIMIT: '0', APP_CORS_ORIGINS: '*' },
      true,
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'PORT',
      'APP_RATE_LIMIT',
      'APP_AUTH_SECRET',
      'APP_CORS_ORIGINS',
    ]);
    expect(JSON.stringify(issues)).not.toContain('short-canary');
  });
  it.each([
    ['99999999999999999999999', false],
    ['1000001', false],
    ['1000000', true],
    ['1', true],
    ['-1', false],
    ['1e3', false],
  ])('bounds APP_RATE_LIMIT=%s (1 to 1,000,000: %s)', (value, accepted) => {
    const { env, issues } = readSampleEnv({ APP_RATE_LIMIT: value }, false);
    expect(issues.map((issue) => issue.path)).toEqual(accepted ? [] : ['APP_RATE_LIMIT']);
    if (accepted) expect(env.rateLimit).toBe(Number(value));
  });
  it('reads APP_DOCS as true or false, and refuses anything else', () => {
    expect(readSampleEnv({ APP_DOCS: 'true' }, false).env.docs).toBe(true);
    expect(readSampleEnv({ APP_DOCS: 'false' }, false).env.docs).toBe(false);
    expect(readSampleEnv({}, false).env.docs).toBeUndefined();
    expect(readSampleEnv({ APP_DOCS: '1' }, false).issues.map((issue) => issue.path)).toEqual(['APP_DOCS']);
  });
  it('requires APP_AUTH_SECRET only when asked', () => {
    expect(readSampleEnv({}, true).issues.map((issue) => issue.path)).toEqual(['APP_AUTH_SECRET']);
    expect(readSampleEnv({}, false).issues).toEqual([]);
  });
  it('parses a CORS allow-list of origins', () => {
    const { env, issues } = readSampleEnv(
      { APP_AUTH_SECRET: secret, APP_CORS_ORIGINS: 'https://a.example, http://localhost:5173' },
      true,
    );
    expect(issues).toEqual([]);
    expect(env.corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(
      readSampleEnv({ APP_AUTH_SECRET: secret, APP_CORS_ORIGINS: 'https://a.example/path' }, true).issues,
    ).toHaveLength(1);
  });
});

describe('toPrincipal', () => {
  it('accepts { sub, tenants: string[], exp }', () => {
    expect(toPrincipal({ sub: 'u', tenants: ['a'], iat: 1, exp: 2 })).toEqual({
      userId: 'u',
      tenants: ['a'],
    });
  });
  it.each([
    null,
    'x',
    {},
    { sub: '' },
    { sub: 'u' },
    { sub: 'u', tenants: 'a' },
    { sub: 'u', tenants: [1] },
    { sub: 1, tenants: [] },
    { sub: 'u', tenants: ['a'] },
    { sub: 'u', tenants: ['a'], exp: '9999999999' },
  ])('refuses %j', (claims) => expect(toPrincipal(claims)).toBeUndefined());
});

describe('toPublicLinkedSource', () => {
  const provider = () => true;
  it('keeps tap, label and whether a provider call can work only', () => {
    const source = { tap: 's', label: 'S', config: { access_token: 'secret' }, icon: 'x', extra: 1 };
    expect(toPublicLinkedSource(source, provider)).toEqual({ tap: 's', label: 'S', providerCall: true });
    expect(toPublicLinkedSource({ tap: 's', label: 7 }, provider)).toEqual({ tap: 's', providerCall: true });
  });

  it('offers a provider call only for an OAuth source with a provider entry, and says why not otherwise', () => {
    expect(toPublicLinkedSource({ tap: 'hubspot', type: 'oauth' }, provider).providerCall).toBe(true);
    const apiKey = toPublicLinkedSource({ tap: 'pipedrive', type: 'api' }, provider);
    expect(apiKey.providerCall).toBe(false);
    expect(apiKey.providerCallNote).toMatch(/API-key source: hotglue holds no OAuth access token/);
    const unknown = toPublicLinkedSource({ tap: 'hubspot', type: 'oauth' }, () => false);
    expect(unknown).toMatchObject({
      providerCall: false,
      providerCallNote: expect.stringMatching(/No provider API/),
    });
    expect(toPublicLinkedSource({ tap: 's' }).providerCall).toBe(false); // no registry: nothing to call
  });
});

describe('renderLocalBanner', () => {
  it('says local mode and shows the URLs, the bearer and a curl line', () => {
    const text = renderLocalBanner({
      appUrl: 'http://127.0.0.1:3000',
      emulatorUrl: 'http://127.0.0.1:4000',
      envId: 'dev.emulator.hotglue.xyz',
      bearer: 'a.b.c',
      keyPath: '/repo/.local/k.pem',
      keyCreated: true,
      authSecretGenerated: true,
      docs: true,
    });
    expect(text).toContain(LOCAL_MODE_HEADLINE);
    expect(text).toContain('http://127.0.0.1:3000/hotglue/token');
    expect(text).toContain('curl -s -H "Authorization: Bearer a.b.c" http://127.0.0.1:3000/hotglue/token');
    expect(text).toContain('generated now');
  });
});

describe('loadOrCreateDevSigningKey', () => {
  it('creates a 0600 key in a 0700 directory once, then reuses it', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hg-dev-key-')), '.local');
    const first = loadOrCreateDevSigningKey(dir);
    expect(first.created).toBe(true);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const second = loadOrCreateDevSigningKey(dir);
    expect(second.created).toBe(false);
    expect(second.publicKeyPem).toBe(first.publicKeyPem);
    expect(second.privateKeyPem).toBe(first.privateKeyPem);
  });
  it('tightens a key file readable by others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-dev-key-'));
    const { path } = loadOrCreateDevSigningKey(dir);
    chmodSync(path, 0o644);
    const again = loadOrCreateDevSigningKey(dir);
    expect(again.permissionsFixed).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toContain('BEGIN PRIVATE KEY');
  });
});
