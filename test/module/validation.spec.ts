import { inspect } from 'node:util';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  HotglueConfigError,
  HotglueModule,
  type HotglueModuleOptions,
  type HotglueValidatedOptions,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { getHotglueOptionsToken, validateHotglueOptions } from '../support/library-internals.js';

const key = generateTestSigningKey();
/** Canary secrets: if any 16-character slice of these shows up in an error or a log, a secret leaked. */
const CANARY_SECRET_API_KEY = 'sk_canary_7f3d9a1c5e8b2f4a6d0c9e7b1a3f5d8c';
const CANARY_PUBLIC_API_KEY = 'pk_canary_2b4d6f8a0c1e3a5c7e9b1d3f5a7c9e0b';
const SECRETS = [CANARY_SECRET_API_KEY, CANARY_PUBLIC_API_KEY, ...pemSecretForms(key.privateKeyPem)];

const valid = (): HotglueModuleOptions => ({
  envId: 'dev.example.hotglue.xyz',
  signingKey: key.privateKeyBase64,
  publicApiKey: CANARY_PUBLIC_API_KEY,
  secretApiKey: CANARY_SECRET_API_KEY,
});

/** compile() with these options; returns the HotglueConfigError it must reject with. */
async function compileError(options: unknown): Promise<HotglueConfigError> {
  const error = await Test.createTestingModule({
    imports: [HotglueModule.forRoot(options as HotglueModuleOptions)],
  })
    .compile()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(HotglueConfigError);
  const typed = error as HotglueConfigError;
  expect(typed.code).toBe('HOTGLUE_CONFIG_INVALID');
  // Every issue is listed in the message as `path: message`.
  for (const issue of typed.issues) expect(typed.message).toContain(`  - ${issue.path}: ${issue.message}`);
  expect(typed.message).toMatch(
    new RegExp(`^Invalid hotglue configuration \\(${typed.issues.length} problems?\\):`),
  );
  // No secret anywhere: message, stack, inspected error, serialised issues.
  for (const text of [
    typed.message,
    String(typed.stack),
    inspect(typed, { depth: 5 }),
    JSON.stringify(typed.issues),
  ]) {
    expectNoLeak(text, SECRETS, 'config error');
  }
  return typed;
}

/**
 * Asserts that every issue is about `path` (one bad field names no other setting) and that the first one
 * says what `message` expects.
 */
async function expectIssuesAt(options: unknown, path: string, message: RegExp): Promise<void> {
  const error = await compileError(options);
  expect(error.issues.length).toBeGreaterThanOrEqual(1);
  expect(error.issues.map((issue) => issue.path)).toEqual(error.issues.map(() => path));
  expect(error.issues[0]!.message).toMatch(message);
  expect(error.message).toContain(`  - ${path}: `);
}

describe('an empty id is one problem, not two', () => {
  it.each(['envId', 'flowId'])('%s: "" reports only "must not be empty"', async (field) => {
    const error = await compileError({ ...valid(), [field]: '' });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.message).toMatch(/^must not be empty/);
  });
});

describe('bad options make compile() reject, naming the setting (one case per field)', () => {
  const { signingKey: _omit, ...withoutKey } = valid();
  const cases: Array<[string, unknown, string, RegExp]> = [
    [
      'envId missing',
      { ...valid(), envId: undefined },
      'envId (HOTGLUE_ENV_ID)',
      /^is required\. Set HOTGLUE_ENV_ID/,
    ],
    ['envId empty', { ...valid(), envId: '' }, 'envId (HOTGLUE_ENV_ID)', /must not be empty/],
    ['envId with a slash', { ...valid(), envId: 'dev/example' }, 'envId (HOTGLUE_ENV_ID)', /"\/"/],
    ['envId with whitespace', { ...valid(), envId: 'dev example' }, 'envId (HOTGLUE_ENV_ID)', /whitespace/],
    ['envId not a string', { ...valid(), envId: 42 }, 'envId (HOTGLUE_ENV_ID)', /must be a string/],
    [
      'signingKey missing',
      withoutKey,
      'signingKey (HOTGLUE_SIGNING_KEY)',
      /no signing key.*HOTGLUE_SIGNING_KEY_FILE/,
    ],
    [
      'signingKey invalid',
      { ...valid(), signingKey: 'not a key!' },
      'signingKey (HOTGLUE_SIGNING_KEY)',
      /neither a PEM nor strict base64/,
    ],
    [
      'signingKey a public key',
      { ...valid(), signingKey: key.publicKeyPem },
      'signingKey (HOTGLUE_SIGNING_KEY)',
      /public key/,
    ],
    [
      'signingKey not a string',
      { ...valid(), signingKey: 123 },
      'signingKey (HOTGLUE_SIGNING_KEY)',
      /string or a Buffer/,
    ],
    [
      'signingKeyFile empty',
      { ...withoutKey, signingKeyFile: '' },
      'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)',
      /must not be empty/,
    ],
    [
      'signingKeyFile missing on disk',
      { ...withoutKey, signingKeyFile: '/nonexistent/hotglue.key' },
      'signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)',
      /does not exist/,
    ],
    [
      'publicApiKey empty',
      { ...valid(), publicApiKey: '' },
      'publicApiKey (HOTGLUE_PUBLIC_API_KEY)',
      /must not be empty/,
    ],
    [
      'publicApiKey blank',
      { ...valid(), publicApiKey: '   ' },
      'publicApiKey (HOTGLUE_PUBLIC_API_KEY)',
      /must not be empty/,
    ],
    [
      'secretApiKey empty',
      { ...valid(), secretApiKey: '' },
      'secretApiKey (HOTGLUE_SECRET_API_KEY)',
      /must not be empty/,
    ],
    [
      'secretApiKey not a string',
      { ...valid(), secretApiKey: 42 },
      'secretApiKey (HOTGLUE_SECRET_API_KEY)',
      /must be a string/,
    ],
    [
      'apiUrl not a URL',
      { ...valid(), apiUrl: 'client-api.hotglue.xyz' },
      'apiUrl (HOTGLUE_API_URL)',
      /absolute URL/,
    ],
    [
      'apiUrl plain http to a remote host',
      { ...valid(), apiUrl: 'http://client-api.hotglue.xyz' },
      'apiUrl (HOTGLUE_API_URL)',
      /https/,
    ],
    [
      'apiUrl with credentials',
      { ...valid(), apiUrl: 'https://user:pass@client-api.hotglue.xyz' },
      'apiUrl (HOTGLUE_API_URL)',
      /credentials/,
    ],
    [
      'apiUrl with a query',
      { ...valid(), apiUrl: 'https://client-api.hotglue.xyz/?x=1' },
      'apiUrl (HOTGLUE_API_URL)',
      /query/,
    ],
    [
      'apiUrl with a fragment',
      { ...valid(), apiUrl: 'https://client-api.hotglue.xyz/#x' },
      'apiUrl (HOTGLUE_API_URL)',
      /fragment/,
    ],
    [
      'apiUrl another scheme',
      { ...valid(), apiUrl: 'ftp://client-api.hotglue.xyz' },
      'apiUrl (HOTGLUE_API_URL)',
      /https/,
    ],
    ['flowId with whitespace', { ...valid(), flowId: 'flow 1' }, 'flowId (HOTGLUE_FLOW_ID)', /whitespace/],
    ['flowId empty', { ...valid(), flowId: '' }, 'flowId (HOTGLUE_FLOW_ID)', /must not be empty/],
    [
      'tokenTtlSeconds 59',
      { ...valid(), tokenTtlSeconds: 59 },
      'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
      /at least 60/,
    ],
    [
      'tokenTtlSeconds 3601',
      { ...valid(), tokenTtlSeconds: 3601 },
      'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
      /at most 3600/,
    ],
    [
      'tokenTtlSeconds 1.5',
      { ...valid(), tokenTtlSeconds: 1.5 },
      'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
      /whole number/,
    ],
    [
      'tokenTtlSeconds "abc"',
      { ...valid(), tokenTtlSeconds: 'abc' },
      'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
      /whole number of seconds from 60 to 3600/,
    ],
    ['tokenRefreshMargin 0', { ...valid(), tokenRefreshMargin: 0 }, 'tokenRefreshMargin', /greater than 0/],
    ['tokenRefreshMargin 0.6', { ...valid(), tokenRefreshMargin: 0.6 }, 'tokenRefreshMargin', /at most 0.5/],
    ['tokenCacheSize 0', { ...valid(), tokenCacheSize: 0 }, 'tokenCacheSize', /at least 1/],
    ['tokenCacheSize 1.5', { ...valid(), tokenCacheSize: 1.5 }, 'tokenCacheSize', /whole number/],
    [
      'credentialsRefreshMarginSeconds -1',
      { ...valid(), credentialsRefreshMarginSeconds: -1 },
      'credentialsRefreshMarginSeconds',
      /at least 0/,
    ],
    [
      'credentialsRefreshMarginSeconds 3601',
      { ...valid(), credentialsRefreshMarginSeconds: 3601 },
      'credentialsRefreshMarginSeconds',
      /at most 3600/,
    ],
    [
      'credentialsDefaultTtlSeconds 1.5',
      { ...valid(), credentialsDefaultTtlSeconds: 1.5 },
      'credentialsDefaultTtlSeconds',
      /whole number/,
    ],
    [
      'credentialsDefaultTtlSeconds 7200',
      { ...valid(), credentialsDefaultTtlSeconds: 7200 },
      'credentialsDefaultTtlSeconds',
      /at most 3600/,
    ],
    ['credentialsCacheSize 0', { ...valid(), credentialsCacheSize: 0 }, 'credentialsCacheSize', /at least 1/],
    [
      'credentialsCacheSize "10"',
      { ...valid(), credentialsCacheSize: '10' },
      'credentialsCacheSize',
      /whole number/,
    ],
    ['an unknown option', { ...valid(), tokenTTL: 60 }, 'tokenTTL', /unknown option/],
  ];

  it.each(cases)('%s', async (_name, options, path, message) => {
    await expectIssuesAt(options, path, message);
  });

  it('signingKey and signingKeyFile both set: one issue naming both variables', async () => {
    const error = await compileError({ ...valid(), signingKeyFile: '/run/secrets/hotglue.key' });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toContain('(HOTGLUE_SIGNING_KEY)');
    expect(error.issues[0]!.path).toContain('(HOTGLUE_SIGNING_KEY_FILE)');
    expect(error.issues[0]!.message).toMatch(/both are set/);
  });

  it('null options (from an untyped async factory) list the required settings', async () => {
    const error = await Test.createTestingModule({
      imports: [HotglueModule.forRootAsync({ useFactory: () => null as unknown as HotglueModuleOptions })],
    })
      .compile()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueConfigError);
    expect((error as HotglueConfigError).issues.map((i) => i.path)).toEqual([
      'envId (HOTGLUE_ENV_ID)',
      'signingKey (HOTGLUE_SIGNING_KEY)',
    ]);
  });

  it('options that are not an object (from an untyped async factory)', async () => {
    for (const options of ['dev.example.hotglue.xyz', 42]) {
      const error = await Test.createTestingModule({
        imports: [
          HotglueModule.forRootAsync({ useFactory: () => options as unknown as HotglueModuleOptions }),
        ],
      })
        .compile()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HotglueConfigError);
      expect((error as HotglueConfigError).issues.map((i) => i.path)).toContain('(options)');
      expect((error as HotglueConfigError).message).toMatch(/options must be an object/);
    }
  });

  it('accepts http for loopback hosts and strips trailing slashes from apiUrl', async () => {
    for (const [apiUrl, expected] of [
      ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010'],
      ['http://localhost:4010', 'http://localhost:4010'],
      ['http://[::1]:4010//', 'http://[::1]:4010'],
      ['https://client-api.hotglue.xyz/v2/', 'https://client-api.hotglue.xyz/v2'],
    ]) {
      const ref = await Test.createTestingModule({
        imports: [HotglueModule.forRoot({ ...valid(), apiUrl })],
      }).compile();
      expect(ref.get<HotglueValidatedOptions>(getHotglueOptionsToken()).apiUrl).toBe(expected);
    }
  });
});

describe('every problem at once', () => {
  it('lists several bad fields in one HotglueConfigError, each as `path: message`', async () => {
    const error = await compileError({
      envId: 'dev/example',
      signingKey: 'definitely not a key!',
      secretApiKey: '',
      apiUrl: 'http://client-api.hotglue.xyz',
      flowId: 'a b',
      tokenTtlSeconds: 59,
      tokenRefreshMargin: 0.9,
      tokenCacheSize: 0,
      tokenTTL: 60,
    });
    const paths = error.issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'envId (HOTGLUE_ENV_ID)',
        'signingKey (HOTGLUE_SIGNING_KEY)',
        'secretApiKey (HOTGLUE_SECRET_API_KEY)',
        'apiUrl (HOTGLUE_API_URL)',
        'flowId (HOTGLUE_FLOW_ID)',
        'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
        'tokenRefreshMargin',
        'tokenCacheSize',
        'tokenTTL',
      ]),
    );
    expect(new Set(paths).size).toBe(9);
    expect(error.message.split('\n')).toHaveLength(error.issues.length + 1);
    expect(error.message).toMatch(/^Invalid hotglue configuration \(\d+ problems\):\n {2}- /);
  });

  it('reports a bad signing key together with schema problems (key parsed even when other fields fail)', async () => {
    const error = await compileError({ ...valid(), envId: '', signingKey: key.publicKeyPem });
    expect([...new Set(error.issues.map((i) => i.path))]).toEqual([
      'envId (HOTGLUE_ENV_ID)',
      'signingKey (HOTGLUE_SIGNING_KEY)',
    ]);
  });

  it('reports a bad signing key together with an unknown option that merely starts with "signingKey"', async () => {
    const error = await compileError({ ...valid(), signingKey: 'not a key!', signingKeyPath: '/x' });
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'signingKey (HOTGLUE_SIGNING_KEY)',
      'signingKeyPath',
    ]);
  });

  it('validateHotglueOptions throws the same error synchronously', () => {
    expect(() => validateHotglueOptions({ ...valid(), envId: '' })).toThrow(HotglueConfigError);
    expect(() => validateHotglueOptions(undefined)).toThrow(
      /envId \(HOTGLUE_ENV_ID\)[\s\S]*signingKey \(HOTGLUE_SIGNING_KEY\)/,
    );
  });
});

describe('secrets never appear in config errors (canaries)', () => {
  it('valid API keys next to bad fields stay out of the message', async () => {
    await compileError({ ...valid(), envId: '', tokenTtlSeconds: 1 });
  });

  it('a secret API key misplaced in other settings is not echoed', async () => {
    await compileError({
      ...valid(),
      apiUrl: `https://user:${CANARY_SECRET_API_KEY}@client-api.hotglue.xyz`,
    });
    await compileError({
      ...valid(),
      apiUrl: `https://client-api.hotglue.xyz/?key=${CANARY_SECRET_API_KEY}`,
    });
    await compileError({ ...valid(), apiUrl: CANARY_SECRET_API_KEY });
    await compileError({ ...valid(), envId: `${CANARY_SECRET_API_KEY}/x` });
    await compileError({ ...valid(), flowId: ` ${CANARY_SECRET_API_KEY}` });
    await compileError({ ...valid(), tokenTtlSeconds: CANARY_SECRET_API_KEY });
    await compileError({ ...valid(), signingKey: CANARY_SECRET_API_KEY });
    const { signingKey: _inline, ...withoutKey } = valid();
    await compileError({ ...withoutKey, signingKeyFile: CANARY_SECRET_API_KEY });
    await compileError({ ...valid(), [CANARY_SECRET_API_KEY.slice(0, 10)]: CANARY_SECRET_API_KEY });
  });

  it('a signing key misplaced in other settings, or damaged, is not echoed', async () => {
    await compileError({ ...valid(), envId: key.privateKeyPem });
    await compileError({ ...valid(), apiUrl: key.privateKeyBase64 });
    await compileError({ ...valid(), flowId: key.privateKeyPem });
    await compileError({ ...valid(), signingKey: key.privateKeyBase64.slice(0, -8) });
    await compileError({ ...valid(), signingKey: key.privateKeyPem.slice(0, 900) });
    await compileError({ ...valid(), signingKey: `${key.privateKeyPem}${key.privateKeyPem}` });
    await compileError({ ...valid(), signingKey: key.privateKeyPem, tokenCacheSize: -1 });
    // The key itself pasted into the file setting: the "path" must not be echoed.
    const { signingKey: _inline, ...rest } = valid();
    await compileError({ ...rest, signingKeyFile: key.privateKeyBase64 });
    await compileError({ ...rest, signingKeyFile: key.privateKeyPem });
  });
});

describe('the resolved options hide the API keys', () => {
  it('JSON.stringify, util.inspect, spreads and Object.keys do not carry them, but the properties work', async () => {
    const ref = await Test.createTestingModule({ imports: [HotglueModule.forRoot(valid())] }).compile();
    const options = ref.get<HotglueValidatedOptions>(getHotglueOptionsToken());
    expect(options.secretApiKey).toBe(CANARY_SECRET_API_KEY);
    expect(options.publicApiKey).toBe(CANARY_PUBLIC_API_KEY);
    for (const text of [
      JSON.stringify(options),
      inspect(options),
      inspect({ nested: { options } }, { depth: 5 }),
    ]) {
      expectNoLeak(text, SECRETS, 'resolved options');
      expect(text).toContain('dev.example.hotglue.xyz');
    }
    expect(JSON.stringify({ ...options })).not.toContain('canary');
    expect(Object.keys(options)).not.toContain('secretApiKey');
    expect(Object.keys(options)).not.toContain('signingKey');
    expect('signingKey' in options).toBe(false);
    expect(Object.isFrozen(options)).toBe(true);
  });
});
