import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { credentialsFromConfig, isSecretLookingName, parseExpiry } from './credentials-parse.js';

const AT = 'at-canary-4d1f7a9e2b6c8053';
const RT = 'rt-canary-91e3c7b5a2f4d608';
const FETCHED = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('parseExpiry', () => {
  it.each([
    ['ISO with zone', '2026-01-01T13:00:00Z', Date.UTC(2026, 0, 1, 13)],
    ['ISO with offset', '2026-01-01T14:00:00+01:00', Date.UTC(2026, 0, 1, 13)],
    ['naive ISO is UTC', '2026-01-01T13:00:00', Date.UTC(2026, 0, 1, 13)],
    ['Python str() with microseconds', '2026-01-01 13:00:00.123456', Date.UTC(2026, 0, 1, 13, 0, 0, 123)],
    ['epoch seconds', 1767272400, 1767272400000],
    ['epoch seconds as text', '1767272400', 1767272400000],
    ['epoch milliseconds', 1767272400123, 1767272400123],
  ])('%s', (_name, input, expected) => {
    expect(parseExpiry(input)).toBe(expected);
  });

  it.each([undefined, null, '', 'soon', -5, 0, Number.NaN, {}, true])('ignores %j', (input) => {
    expect(parseExpiry(input)).toBeUndefined();
  });
});

describe('credentialsFromConfig', () => {
  it('reads tokens, expires_at and the non-secret properties', () => {
    const credentials = credentialsFromConfig(
      {
        access_token: AT,
        refresh_token: RT,
        expires_at: '2026-01-01T13:00:00Z',
        expires_in: 10,
        token_type: 'Bearer',
        instance_url: 'https://acme.my.salesforce.com',
        client_id: 'cid',
        client_secret: 'cs-never',
        api_key: 'k-never',
        password: 'p-never',
        sandbox: false,
        page_size: 100,
        nested: { a: 1 },
      },
      FETCHED,
    );
    expect(credentials?.accessToken).toBe(AT);
    expect(credentials?.refreshToken).toBe(RT);
    // expires_at wins over expires_in.
    expect(credentials?.expiresAt?.toISOString()).toBe('2026-01-01T13:00:00.000Z');
    expect(credentials?.properties).toEqual({
      instance_url: 'https://acme.my.salesforce.com',
      client_id: 'cid',
      sandbox: false,
      page_size: 100,
    });
  });

  it('falls back to token_expiry, then expires_in counted from the fetch', () => {
    expect(
      credentialsFromConfig(
        { access_token: AT, token_expiry: '2026-01-01T12:30:00' },
        FETCHED,
      )?.expiresAt?.getTime(),
    ).toBe(Date.UTC(2026, 0, 1, 12, 30));
    expect(credentialsFromConfig({ access_token: AT, expires_in: 3600 }, FETCHED)?.expiresAt?.getTime()).toBe(
      FETCHED + 3_600_000,
    );
    expect(credentialsFromConfig({ access_token: AT, expires_in: '60' }, FETCHED)?.expiresAt?.getTime()).toBe(
      FETCHED + 60_000,
    );
    expect(credentialsFromConfig({ access_token: AT }, FETCHED)?.expiresAt).toBeUndefined();
  });

  it('limits properties to the picked names, never a secret-looking one', () => {
    const config = { access_token: AT, instance_url: 'u', region: 'eu', client_secret: 's' };
    expect(credentialsFromConfig(config, FETCHED, ['instance_url', 'client_secret'])?.properties).toEqual({
      instance_url: 'u',
    });
  });

  it.each([
    ['no config', undefined],
    ['an array', [AT]],
    ['no access_token', { refresh_token: RT }],
    ['an empty access_token', { access_token: ' ' }],
    ['a non-string access_token', { access_token: 42 }],
  ])('returns undefined for %s', (_name, config) => {
    expect(credentialsFromConfig(config, FETCHED)).toBeUndefined();
  });

  it('is frozen and prints redacted under util.inspect, JSON.stringify, spreads and Object.keys', () => {
    const credentials = credentialsFromConfig(
      { access_token: AT, refresh_token: RT, expires_in: 60, instance_url: 'u' },
      FETCHED,
    )!;
    expect(Object.isFrozen(credentials)).toBe(true);
    const printed = [
      inspect(credentials),
      inspect({ nested: { credentials } }, { depth: 10, showHidden: true }),
      JSON.stringify(credentials),
      JSON.stringify({ credentials }),
      JSON.stringify({ ...credentials }),
      Object.keys(credentials).join(','),
      String(credentials),
    ].join('\n');
    expect(printed).not.toContain(AT);
    expect(printed).not.toContain(RT);
    expect(inspect(credentials)).toContain('[REDACTED]');
    expect(inspect(credentials)).toContain('HotglueCredentials');
    expect(JSON.parse(JSON.stringify(credentials))).toEqual({
      accessToken: '[REDACTED]',
      refreshToken: '[REDACTED]',
      expiresAt: new Date(FETCHED + 60_000).toISOString(),
      properties: { instance_url: 'u' },
    });
  });

  it('hands out a copy of expiresAt, so one caller cannot move it for the others', () => {
    const credentials = credentialsFromConfig({ access_token: AT, expires_in: 60 }, FETCHED)!;
    credentials.expiresAt!.setTime(0);
    expect(credentials.expiresAt!.getTime()).toBe(FETCHED + 60_000);
  });
});

describe('isSecretLookingName', () => {
  it.each([
    'access_token',
    'client_secret',
    'api_key',
    'apiKey',
    'password',
    'private_key',
    'session_id',
    'code',
  ])('%s looks secret', (name) => expect(isSecretLookingName(name)).toBe(true));
  it.each(['instance_url', 'client_id', 'region', 'subdomain', 'sandbox', 'start_date'])(
    '%s does not',
    (name) => expect(isSecretLookingName(name)).toBe(false),
  );
});
