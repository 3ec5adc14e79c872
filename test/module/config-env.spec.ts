import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  HotglueConfigError,
  HotglueModule,
  type HotglueSigningKey,
  HotglueTokenService,
  type HotglueValidatedOptions,
  hotglueConfig,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectedFingerprint } from '../support/keys.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import {
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  HOTGLUE_ENV_VARS,
  hotglueOptionsFromEnv,
} from '../support/library-internals.js';

const key = generateTestSigningKey();
const CANARY_SECRET_API_KEY = 'sk_canary_env_9d1f3b5a7c9e1d3f5b7a9c1e3d5f7b9a';
const CANARY_PUBLIC_API_KEY = 'pk_canary_env_1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b';
const SECRETS = [CANARY_SECRET_API_KEY, CANARY_PUBLIC_API_KEY, ...pemSecretForms(key.privateKeyPem)];

const savedEnv = { ...process.env };
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hotglue-env-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('HOTGLUE_')) delete process.env[name];
});
afterEach(() => {
  // Restore exactly: drop what the test added, put back what it changed.
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name];
  Object.assign(process.env, savedEnv);
});

function setEnv(vars: Record<string, string>): void {
  Object.assign(process.env, vars);
}

const compileFromEnv = () =>
  Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({ ignoreEnvFile: true }),
      HotglueModule.forRootAsync(hotglueConfig.asProvider()),
    ],
  }).compile();

async function compileErrorFromEnv(): Promise<HotglueConfigError> {
  const error = await compileFromEnv().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HotglueConfigError);
  expectNoLeak((error as Error).message, SECRETS, 'config error');
  return error as HotglueConfigError;
}

describe('HotglueModule.forRootAsync(hotglueConfig.asProvider()) with ConfigModule', () => {
  it('reads every HOTGLUE_* variable', async () => {
    setEnv({
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
      HOTGLUE_PUBLIC_API_KEY: CANARY_PUBLIC_API_KEY,
      HOTGLUE_SECRET_API_KEY: CANARY_SECRET_API_KEY,
      HOTGLUE_API_URL: 'http://127.0.0.1:4010/',
      HOTGLUE_FLOW_ID: 'l8odS2mce',
      HOTGLUE_TOKEN_TTL_SECONDS: '900',
    });
    const ref = await compileFromEnv();
    const options = ref.get<HotglueValidatedOptions>(getHotglueOptionsToken());
    expect(options).toMatchObject({
      envId: 'dev.example.hotglue.xyz',
      apiUrl: 'http://127.0.0.1:4010',
      flowId: 'l8odS2mce',
      tokenTtlSeconds: 900,
    });
    expect(options.publicApiKey).toBe(CANARY_PUBLIC_API_KEY);
    expect(options.secretApiKey).toBe(CANARY_SECRET_API_KEY);
    expect(ref.get<HotglueSigningKey>(getHotglueSigningKeyToken()).fingerprint).toBe(
      expectedFingerprint(key.publicKey),
    );
    const token = await ref.get(HotglueTokenService).getToken('acme');
    expect(token.expiresAt.getTime() - token.issuedAt.getTime()).toBe(900_000);
    // The registered namespace is visible through ConfigService as well.
    expect(ref.get(ConfigService).get('hotglue.envId')).toBe('dev.example.hotglue.xyz');
  });

  it('needs only HOTGLUE_ENV_ID and HOTGLUE_SIGNING_KEY; the rest default', async () => {
    setEnv({
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: key.privateKeyPem.replace(/\n/g, '\\n'),
    });
    const ref = await compileFromEnv();
    expect(ref.get<HotglueValidatedOptions>(getHotglueOptionsToken())).toMatchObject({
      apiUrl: 'https://client-api.hotglue.xyz',
      tokenTtlSeconds: 3600,
    });
  });

  it('reads the key from HOTGLUE_SIGNING_KEY_FILE', async () => {
    const path = join(dir, 'hotglue.key');
    writeFileSync(path, `${key.privateKeyBase64}\n`, { mode: 0o600 });
    setEnv({ HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz', HOTGLUE_SIGNING_KEY_FILE: path });
    const ref = await compileFromEnv();
    expect(ref.get<HotglueSigningKey>(getHotglueSigningKeyToken()).fingerprint).toBe(
      expectedFingerprint(key.publicKey),
    );
    const service = ref.get(HotglueTokenService);
    const token = await service.createToken('acme');
    await expect(service.verifyToken(token.token, { tenantId: 'acme' })).resolves.toBeDefined();
  });

  it('treats blank variables as unset', async () => {
    setEnv({
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
      HOTGLUE_SIGNING_KEY_FILE: '   ',
      HOTGLUE_FLOW_ID: '',
      HOTGLUE_TOKEN_TTL_SECONDS: '',
    });
    const options = (await compileFromEnv()).get<HotglueValidatedOptions>(getHotglueOptionsToken());
    expect(options.flowId).toBeUndefined();
    expect(options.tokenTtlSeconds).toBe(3600);
  });

  it('fails bootstrap when nothing is set, naming HOTGLUE_ENV_ID and HOTGLUE_SIGNING_KEY', async () => {
    const error = await compileErrorFromEnv();
    expect(error.issues.map((i) => i.path)).toEqual([
      'envId (HOTGLUE_ENV_ID)',
      'signingKey (HOTGLUE_SIGNING_KEY)',
    ]);
  });

  it.each(['abc', '1.5', '59', '3601', '1e3', '-60'])(
    'fails bootstrap for HOTGLUE_TOKEN_TTL_SECONDS=%s, naming the variable',
    async (value) => {
      setEnv({
        HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
        HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
        HOTGLUE_TOKEN_TTL_SECONDS: value,
      });
      const error = await compileErrorFromEnv();
      expect([...new Set(error.issues.map((i) => i.path))]).toEqual([
        'tokenTtlSeconds (HOTGLUE_TOKEN_TTL_SECONDS)',
      ]);
      expect(error.message).toContain('HOTGLUE_TOKEN_TTL_SECONDS');
    },
  );

  it('fails bootstrap when both HOTGLUE_SIGNING_KEY and HOTGLUE_SIGNING_KEY_FILE are set', async () => {
    const path = join(dir, 'both.key');
    writeFileSync(path, key.privateKeyBase64);
    setEnv({
      HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz',
      HOTGLUE_SIGNING_KEY: key.privateKeyBase64,
      HOTGLUE_SIGNING_KEY_FILE: path,
    });
    const error = await compileErrorFromEnv();
    expect(error.issues).toHaveLength(1);
    expect(error.message).toMatch(/HOTGLUE_SIGNING_KEY\b.*HOTGLUE_SIGNING_KEY_FILE.*both are set/);
  });

  it('lists every bad variable at once and echoes no secret', async () => {
    setEnv({
      HOTGLUE_ENV_ID: 'dev example',
      HOTGLUE_SIGNING_KEY: key.privateKeyBase64.slice(0, 600),
      HOTGLUE_PUBLIC_API_KEY: CANARY_PUBLIC_API_KEY,
      HOTGLUE_SECRET_API_KEY: CANARY_SECRET_API_KEY,
      HOTGLUE_API_URL: `https://user:${CANARY_SECRET_API_KEY}@client-api.hotglue.xyz`,
      HOTGLUE_FLOW_ID: 'a/b',
      HOTGLUE_TOKEN_TTL_SECONDS: 'abc',
    });
    const error = await compileErrorFromEnv();
    const paths = new Set(error.issues.map((i) => i.path));
    for (const name of [
      'HOTGLUE_ENV_ID',
      'HOTGLUE_SIGNING_KEY',
      'HOTGLUE_API_URL',
      'HOTGLUE_FLOW_ID',
      'HOTGLUE_TOKEN_TTL_SECONDS',
    ]) {
      expect([...paths].some((p) => p.endsWith(`(${name})`))).toBe(true);
      expect(error.message).toContain(`(${name}): `);
    }
  });
});

describe('hotglueOptionsFromEnv (pure)', () => {
  it('maps each variable to its option and drops unset or blank ones', () => {
    expect(
      hotglueOptionsFromEnv({
        HOTGLUE_ENV_ID: 'e',
        HOTGLUE_SIGNING_KEY: 'k',
        HOTGLUE_SIGNING_KEY_FILE: ' ',
        HOTGLUE_PUBLIC_API_KEY: 'p',
        HOTGLUE_SECRET_API_KEY: 's',
        HOTGLUE_API_URL: 'u',
        HOTGLUE_FLOW_ID: '',
        HOTGLUE_TOKEN_TTL_SECONDS: '600',
        UNRELATED: 'x',
      }),
    ).toStrictEqual({
      envId: 'e',
      signingKey: 'k',
      publicApiKey: 'p',
      secretApiKey: 's',
      apiUrl: 'u',
      tokenTtlSeconds: 600,
    });
  });

  it('keeps non-numeric TTL text as text so the schema names the variable', () => {
    expect(hotglueOptionsFromEnv({ HOTGLUE_TOKEN_TTL_SECONDS: 'abc' })).toStrictEqual({
      tokenTtlSeconds: 'abc',
    });
    expect(hotglueOptionsFromEnv({ HOTGLUE_TOKEN_TTL_SECONDS: ' 120 ' })).toStrictEqual({
      tokenTtlSeconds: 120,
    });
  });

  it('covers every variable of the settings table in the README', () => {
    expect(Object.values(HOTGLUE_ENV_VARS).sort()).toEqual(
      [
        'HOTGLUE_API_URL',
        'HOTGLUE_ENV_ID',
        'HOTGLUE_FLOW_ID',
        'HOTGLUE_PUBLIC_API_KEY',
        'HOTGLUE_SECRET_API_KEY',
        'HOTGLUE_SIGNING_KEY',
        'HOTGLUE_SIGNING_KEY_FILE',
        'HOTGLUE_TOKEN_TTL_SECONDS',
      ].sort(),
    );
  });
});

describe('isGlobal with hotglueConfig', () => {
  @Injectable()
  class Consumer {
    constructor(@Inject(HotglueTokenService) readonly tokens: HotglueTokenService) {}
  }

  it('forRootAsync({ ...hotglueConfig.asProvider(), isGlobal: true }) serves other modules', async () => {
    setEnv({ HOTGLUE_ENV_ID: 'dev.example.hotglue.xyz', HOTGLUE_SIGNING_KEY: key.privateKeyBase64 });
    const { Module } = await import('@nestjs/common');
    @Module({ providers: [Consumer], exports: [Consumer] })
    class FeatureModule {}
    const ref = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        HotglueModule.forRootAsync({ ...hotglueConfig.asProvider(), isGlobal: true }),
        FeatureModule,
      ],
    }).compile();
    expect(ref.get(Consumer).tokens).toBeInstanceOf(HotglueTokenService);
  });
});
