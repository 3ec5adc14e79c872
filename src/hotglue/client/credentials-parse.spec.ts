import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretLookingName } from '../internal/secret-names.js';
import {
  credentialsFromConfig,
  DEFAULT_CREDENTIAL_PROPERTIES,
  parseExpiry,
  stripCredentials,
} from './credentials-parse.js';

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
    // Only allow-listed names: `page_size` is harmless but unknown, so it stays out unless the host names it.
    expect(credentials?.properties).toEqual({
      instance_url: 'https://acme.my.salesforce.com',
      client_id: 'cid',
      sandbox: false,
    });
    expect(
      credentialsFromConfig({ access_token: AT, page_size: 100 }, FETCHED, undefined, ['page_size'])
        ?.properties,
    ).toEqual({ page_size: 100 });
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

  describe('expires_in', () => {
    const at = (expires_in: unknown) =>
      credentialsFromConfig({ access_token: AT, expires_in }, FETCHED)?.expiresAt?.getTime();
    const epochSeconds = Math.floor(FETCHED / 1000) + 1800;

    it("reads an epoch in seconds as absolute (as hotglue's SDK stores it), not as 57 years from now", () => {
      expect(at(epochSeconds)).toBe(epochSeconds * 1000);
      expect(at(String(epochSeconds))).toBe(epochSeconds * 1000);
    });

    it('reads an epoch in milliseconds as absolute', () => {
      expect(at(epochSeconds * 1000 + 250)).toBe(epochSeconds * 1000 + 250);
    });

    it('reads a value below 2001-01-01 in epoch seconds as seconds from the fetch', () => {
      expect(at(3599)).toBe(FETCHED + 3_599_000);
      expect(at(978_307_199)).toBe(FETCHED + 978_307_199_000);
      // The floor itself is an epoch: 2001-01-01T00:00:00Z.
      expect(at(978_307_200)).toBe(Date.UTC(2001, 0, 1));
    });

    it('an epoch already past gives credentials that are stale at once', () => {
      expect(at(Math.floor(FETCHED / 1000) - 10)).toBeLessThan(FETCHED);
    });
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

/** Secret names an earlier allow-list let pass as "non-secret"; none of their values may reach `properties`. */
const LEAKED_NAMES = [
  'passphrase',
  'pass',
  'authorization',
  'auth',
  'bearer',
  'jwt',
  'pat',
  'pin',
  'otp',
  'hmac',
  'sig',
  'dsn',
  'connection_string',
];

describe('properties: safe by default', () => {
  const canary = (name: string) => `canary-${name}-7c1e9a3f5b`;
  const config = Object.fromEntries([
    ['access_token', AT],
    ...LEAKED_NAMES.map((name) => [name, canary(name)]),
    ['database_url', 'postgres://app:canary-db-password-4e8a@db.example.com:5432/app'],
  ]);

  it('withholds every name of that list, whether defaulted, allowed by the host or picked', () => {
    for (const result of [
      credentialsFromConfig(config, FETCHED),
      credentialsFromConfig(config, FETCHED, undefined, LEAKED_NAMES),
      credentialsFromConfig(config, FETCHED, LEAKED_NAMES),
    ]) {
      const printed = JSON.stringify(result);
      for (const name of LEAKED_NAMES) expect(printed).not.toContain(canary(name));
      expect(printed).not.toContain('canary-db-password');
    }
  });

  it('keeps a URL once its user and password are stripped', () => {
    expect(credentialsFromConfig(config, FETCHED, ['database_url'])?.properties).toEqual({
      database_url: 'postgres://db.example.com:5432/app',
    });
    const withUser = { access_token: AT, instance_url: 'https://admin:pw-canary@acme.my.salesforce.com' };
    expect(credentialsFromConfig(withUser, FETCHED)?.properties).toEqual({
      instance_url: 'https://acme.my.salesforce.com/',
    });
  });

  it.each([
    ['postgres://u:pw-canary@db:5432/app', 'postgres://db:5432/app'],
    [
      'mongodb+srv://u:pw-canary@cluster0.example.net/db?retryWrites=true',
      'mongodb+srv://cluster0.example.net/db?retryWrites=true',
    ],
    ['https://ghp_canary@github.com/acme/repo', 'https://github.com/acme/repo'],
    ['https://x.blob.core.windows.net/c?sv=2024&sig=canary', 'https://x.blob.core.windows.net/c?sv=2024'],
    ['https://db.example.com/?user=app&password=canary', 'https://db.example.com/?user=app'],
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://api.example.com/users/@me', 'https://api.example.com/users/@me'],
    ['eu-west-1', 'eu-west-1'],
  ])('stripCredentials(%j) keeps %j', (value, kept) => {
    expect(stripCredentials(value)).toBe(kept);
  });

  it.each([
    ['a URL with a host the parser refuses', 'postgres://u:pw-canary/x@db:5432/app'],
    ['an opaque URL with a user part', 'jdbc:postgresql://u:pw-canary@db/app'],
    ['an opaque URL with a password parameter', 'jdbc:postgresql://db/app?password=canary'],
    ['an ADO.NET connection string', 'Server=db;User Id=app;Password=canary;'],
    ['a bearer credential', 'Bearer canary-opaque-token'],
    ['a JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ'],
  ])('stripCredentials drops %s', (_name, value) => {
    expect(stripCredentials(value)).toBeUndefined();
  });

  it('takes linear time on a long value without "="', () => {
    // Not a timing assert: a quadratic scan of 2 MB would not finish within the test timeout.
    expect(stripCredentials('a'.repeat(2_000_000))).toHaveLength(2_000_000);
  });

  it('property: a secret-looking name never reaches properties, however it is spelled or listed', () => {
    const word = fc.constantFrom(
      ...LEAKED_NAMES,
      'token',
      'secret',
      'password',
      'key',
      'private',
      'session',
      'cookie',
      'credential',
      'signature',
    );
    const affix = fc.constantFrom('', 'api', 'user', 'x', 'db', 'client', 'oauth');
    // Short words (`pat`, `pin`, `sig`) count as whole words only, so they need a separator or camelCase.
    const sep = fc.constantFrom('_', '-', '.');
    const style = fc.constantFrom('lower', 'upper', 'camel');
    const spelled = fc.tuple(affix, sep, word, sep, affix, style).map(([a, s1, w, s2, b, st]) => {
      const parts = [a, w, b].filter(Boolean);
      const joined =
        st === 'camel'
          ? parts.map((p, i) => (i === 0 ? p : p[0]!.toUpperCase() + p.slice(1))).join('')
          : [a, a ? s1 : '', w, b ? s2 : '', b].join('');
      return st === 'upper' ? joined.toUpperCase() : joined;
    });
    fc.assert(
      fc.property(spelled, fc.string({ minLength: 1, maxLength: 40 }), (name, value) => {
        const secret = `SECRET-${value}-SECRET`;
        const config = { access_token: AT, [name]: secret };
        expect(isSecretLookingName(name)).toBe(true);
        for (const result of [
          credentialsFromConfig(config, FETCHED, [name]),
          credentialsFromConfig(config, FETCHED, undefined, [name]),
        ]) {
          expect(Object.values(result!.properties)).not.toContain(secret);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: a password in a URL never reaches properties', () => {
    const password = fc.stringMatching(/^[A-Za-z0-9~!$&'()*+,;=%-]{6,24}$/);
    const scheme = fc.constantFrom('https', 'http', 'postgres', 'mysql', 'mongodb', 'redis', 'amqp');
    fc.assert(
      fc.property(scheme, password, (protocol, pw) => {
        const secret = `PW${pw}`;
        const url = `${protocol}://user:${secret}@db.example.com:5432/app`;
        const result = credentialsFromConfig({ access_token: AT, database_url: url }, FETCHED, [
          'database_url',
        ]);
        const kept = result!.properties.database_url;
        expect(kept === undefined || !String(kept).includes(secret)).toBe(true);
        if (kept !== undefined) expect(String(kept)).not.toContain('user');
      }),
      { numRuns: 300 },
    );
  });
});

describe('isSecretLookingName', () => {
  it.each([
    'access_token',
    'client_secret',
    'api_key',
    'apiKey',
    'x-api-key',
    'password',
    'userPassword',
    'private_key',
    'session_id',
    'code',
    'authorization_code',
    'sigV4',
    'PIN',
    ...LEAKED_NAMES,
  ])('%s looks secret', (name) => expect(isSecretLookingName(name)).toBe(true));
  it.each([
    'instance_url',
    'client_id',
    'region',
    'subdomain',
    'sandbox',
    'start_date',
    'path',
    'shipping_zone',
  ])('%s does not', (name) => expect(isSecretLookingName(name)).toBe(false));
  it('lets every built-in non-secret name through', () => {
    for (const name of DEFAULT_CREDENTIAL_PROPERTIES) expect(isSecretLookingName(name)).toBe(false);
  });
});

describe('properties: credentials anywhere in a value, as the WHATWG URL parser and HTTP read them', () => {
  const PW = 'pw-CANARY-5e2b';
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ';
  const JWE = 'eyJhbGciOiJSU0EtT0FFUCJ9.ZW5jcnlwdGVkLWtleQ.aXYtY2FuYXJ5.Y2lwaGVydGV4dA.dGFnLWNhbmFyeQ';

  it.each([
    ['a special scheme without slashes', `https:u:${PW}@host.example/x`],
    ['backslashes for slashes', `https:\\\\u:${PW}@host.example/x`],
    ['a tab inside ://', `https:\t//u:${PW}@host.example/x`],
    ['a scheme-relative URL', `//u:${PW}@host.example/x`],
    ['ftp without slashes', `ftp:u:${PW}@files.example/x`],
    ['a credentialed URL in a query value', `https://ok.example/cb?next=https://u:${PW}@evil.example/`],
    [
      'a percent-encoded credentialed URL in a query value',
      `https://ok.example/cb?next=${encodeURIComponent(`https://u:${PW}@evil.example/`)}`,
    ],
    ['a credentialed URL inside text', `see postgres://u:${PW}@db.example/app for details`],
  ])('drops %s', (_name, value) => {
    expect(stripCredentials(value)).toBeUndefined();
  });

  it.each([
    ['a JWT in a query value', `https://app.example/cb?state=${JWT}`],
    ['a JWT after a space', ` ${JWT}`],
    ['a JWT before a newline', `${JWT}\n`],
    ['a token scheme', `token ${JWT}`],
    ['an Authorization header', 'Authorization: Bearer opaque-CANARY-1'],
    ['a JWE (5 parts)', JWE],
    ['Basic credentials', `Basic ${Buffer.from(`user:${PW}`).toString('base64')}`],
    ['JSON with a password field', JSON.stringify({ host: 'db', password: PW })],
    ['YAML with a password field', `host: db\npassword: ${PW}\n`],
  ])('drops %s', (_name, value) => {
    expect(stripCredentials(value)).toBeUndefined();
  });

  it.each([
    'https://acme.my.salesforce.com',
    'https://api.example.com/users/@me',
    'mailto:ops@example.com',
    'ops@example.com',
    'eu-west-1',
    'Basic plan',
    '{"plan":"pro","seats":3}',
    'region: eu',
    '2026-01-01T12:00:00Z',
  ])('keeps %j', (value) => {
    expect(stripCredentials(value)).toBe(value);
  });

  it('passcode and pincode look secret, per call and in the host list', () => {
    for (const name of ['passcode', 'pincode', 'user_passcode', 'PinCode']) {
      expect(isSecretLookingName(name)).toBe(true);
      const config = { access_token: AT, [name]: 'CANARY-code-1234' };
      expect(credentialsFromConfig(config, FETCHED, [name])?.properties).toEqual({});
      expect(credentialsFromConfig(config, FETCHED, undefined, [name])?.properties).toEqual({});
    }
  });

  it('property: a credentialed URL anywhere in a value never reaches properties, in any spelling', () => {
    const scheme = fc.constantFrom('https:', 'http:', 'ftp:', 'wss:', 'postgres:', 'redis:');
    const slashes = fc.constantFrom('//', '', '\\\\', '/\\', '\t//', '/\n/');
    const around = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\s"'<>`]/g, ''));
    const encode = fc.constantFrom('plain', 'encoded', 'twice');
    fc.assert(
      fc.property(scheme, slashes, around, encode, fc.boolean(), (sch, sl, before, enc, relative) => {
        const special = ['https:', 'http:', 'ftp:', 'wss:'].includes(sch);
        // Only special schemes read an authority without `//`; only a scheme-less URL can be relative.
        const url = relative ? `//u:${PW}@h.example/x` : `${sch}${special ? sl : '//'}u:${PW}@h.example/x`;
        const embedded =
          enc === 'plain'
            ? url
            : enc === 'encoded'
              ? encodeURIComponent(url)
              : encodeURIComponent(encodeURIComponent(url));
        const value = `https://ok.example/?a=${before}&next=${embedded}`;
        const kept = stripCredentials(value);
        expect(kept === undefined || !kept.includes(PW)).toBe(true);
        const inText = stripCredentials(`${before} ${url} tail`);
        expect(inText === undefined || !inText.includes(PW)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
