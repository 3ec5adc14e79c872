import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  HOTGLUE_JWT_SIGNER,
  HOTGLUE_OPTIONS,
  HOTGLUE_SIGNING_KEY,
} from '../../src/hotglue/hotglue.constants.js';
import {
  HotglueConfigError,
  HotglueModule,
  type HotglueModuleOptions,
  type HotglueOptionsFactory,
  type HotglueSigningKey,
  HotglueTokenService,
  type HotglueValidatedOptions,
} from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { expectedFingerprint } from '../support/keys.js';
import {
  getHotglueOptionsToken,
  getHotglueSigningKeyToken,
  InjectHotglueOptions,
  InjectHotglueSigningKey,
} from '../support/library-internals.js';

const key = generateTestSigningKey();
const ENV_ID = 'dev.example.hotglue.xyz';
const baseOptions = (): HotglueModuleOptions => ({
  envId: ENV_ID,
  signingKey: key.privateKeyBase64,
  tokenTtlSeconds: 900,
});

/** The module works end to end: options resolved, key parsed, a token signed and verified. */
async function expectWorking(get: <T>(token: unknown) => T, expectedTtl = 900): Promise<void> {
  const options = get<HotglueValidatedOptions>(getHotglueOptionsToken());
  expect(options.envId).toBe(ENV_ID);
  expect(options.tokenTtlSeconds).toBe(expectedTtl);
  const signingKey = get<HotglueSigningKey>(getHotglueSigningKeyToken());
  expect(signingKey.fingerprint).toBe(expectedFingerprint(key.publicKey));
  const service = get<HotglueTokenService>(HotglueTokenService);
  const token = await service.getToken('acme');
  expect(token.expiresAt.getTime() - token.issuedAt.getTime()).toBe(expectedTtl * 1000);
  await expect(service.verifyToken(token.token, { tenantId: 'acme' })).resolves.toMatchObject({
    tenantId: 'acme',
  });
}

/** A provider of the host app that the options factory depends on. */
@Injectable()
class SettingsService {
  readonly envId = ENV_ID;
  readonly signingKey = key.privateKeyBase64;
}

@Module({ providers: [SettingsService], exports: [SettingsService] })
class SettingsModule {}

@Injectable()
class HotglueOptionsFromSettings implements HotglueOptionsFactory {
  constructor(@Inject(SettingsService) private readonly settings: SettingsService) {}
  async createHotglueOptions(): Promise<HotglueModuleOptions> {
    return { envId: this.settings.envId, signingKey: this.settings.signingKey, tokenTtlSeconds: 900 };
  }
}

@Module({
  imports: [SettingsModule],
  providers: [HotglueOptionsFromSettings],
  exports: [HotglueOptionsFromSettings],
})
class HotglueOptionsModule {}

describe('HotglueModule registration forms', () => {
  it('forRoot(options)', async () => {
    const ref = await Test.createTestingModule({ imports: [HotglueModule.forRoot(baseOptions())] }).compile();
    await expectWorking((t) => ref.get(t as never));
  });

  it('forRoot applies the defaults', async () => {
    const ref = await Test.createTestingModule({
      imports: [HotglueModule.forRoot({ envId: ENV_ID, signingKey: key.privateKeyPem })],
    }).compile();
    const options = ref.get<HotglueValidatedOptions>(HOTGLUE_OPTIONS);
    expect(options).toMatchObject({
      envId: ENV_ID,
      apiUrl: 'https://client-api.hotglue.xyz',
      tokenTtlSeconds: 3600,
      tokenRefreshMargin: 0.2,
      tokenCacheSize: 10_000,
      credentialsRefreshMarginSeconds: 60,
      credentialsDefaultTtlSeconds: 60,
      credentialsCacheSize: 10_000,
    });
    expect(Object.isFrozen(options)).toBe(true);
  });

  it('forRootAsync({ imports, inject, useFactory })', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        HotglueModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SettingsService],
          useFactory: (settings: SettingsService) => ({
            envId: settings.envId,
            signingKey: settings.signingKey,
            tokenTtlSeconds: 900,
          }),
        }),
      ],
    }).compile();
    await expectWorking((t) => ref.get(t as never));
  });

  it('forRootAsync({ useFactory }) with an async factory', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        HotglueModule.forRootAsync({
          useFactory: async () => {
            await new Promise((resolve) => setImmediate(resolve));
            return baseOptions();
          },
        }),
      ],
    }).compile();
    await expectWorking((t) => ref.get(t as never));
  });

  it('forRootAsync({ imports, useClass })', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        HotglueModule.forRootAsync({ imports: [SettingsModule], useClass: HotglueOptionsFromSettings }),
      ],
    }).compile();
    await expectWorking((t) => ref.get(t as never));
  });

  it('forRootAsync({ imports, useExisting })', async () => {
    const ref = await Test.createTestingModule({
      imports: [
        HotglueModule.forRootAsync({
          imports: [HotglueOptionsModule],
          useExisting: HotglueOptionsFromSettings,
        }),
      ],
    }).compile();
    await expectWorking((t) => ref.get(t as never));
  });

  it('validates async options too: a bad factory result rejects compile() with HotglueConfigError', async () => {
    const compiling = Test.createTestingModule({
      imports: [
        HotglueModule.forRootAsync({ useFactory: () => ({ envId: '', signingKey: key.privateKeyBase64 }) }),
      ],
    }).compile();
    await expect(compiling).rejects.toBeInstanceOf(HotglueConfigError);
  });

  it('exports the options, the signing key, the signer and the token service to the importing module', async () => {
    const ref = await Test.createTestingModule({ imports: [HotglueModule.forRoot(baseOptions())] }).compile();
    for (const token of [HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY, HOTGLUE_JWT_SIGNER, HotglueTokenService]) {
      expect(ref.get(token as never)).toBeDefined();
    }
    expect(typeof ref.get(HOTGLUE_JWT_SIGNER)).toBe('function');
  });
});

describe('isGlobal', () => {
  @Injectable()
  class TenantTokens {
    constructor(@Inject(HotglueTokenService) readonly tokens: HotglueTokenService) {}
  }

  // A feature module that does not import HotglueModule.
  @Module({ providers: [TenantTokens], exports: [TenantTokens] })
  class FeatureModule {}

  it('makes HotglueTokenService injectable in a module that does not import HotglueModule', async () => {
    const ref = await Test.createTestingModule({
      imports: [HotglueModule.forRoot({ ...baseOptions(), isGlobal: true }), FeatureModule],
    }).compile();
    const feature = ref.get(TenantTokens);
    expect(feature.tokens).toBeInstanceOf(HotglueTokenService);
    expect(feature.tokens).toBe(ref.get(HotglueTokenService));
    await expect(feature.tokens.getToken('acme')).resolves.toMatchObject({ tenantId: 'acme' });
  });

  it('works with forRootAsync({ isGlobal: true }) too', async () => {
    const ref = await Test.createTestingModule({
      imports: [HotglueModule.forRootAsync({ isGlobal: true, useFactory: baseOptions }), FeatureModule],
    }).compile();
    expect(ref.get(TenantTokens).tokens).toBeInstanceOf(HotglueTokenService);
  });

  it('without isGlobal, the other module cannot resolve HotglueTokenService', async () => {
    for (const hotglue of [
      HotglueModule.forRoot(baseOptions()),
      HotglueModule.forRoot({ ...baseOptions(), isGlobal: false }),
      HotglueModule.forRootAsync({ useFactory: baseOptions }),
    ]) {
      const compiling = Test.createTestingModule({ imports: [hotglue, FeatureModule] }).compile();
      await expect(compiling).rejects.toThrow(/HotglueTokenService/);
    }
  });
});

describe('inject helpers in a consumer provider', () => {
  @Injectable()
  class Consumer {
    constructor(
      @Inject(getHotglueOptionsToken()) readonly optionsByToken: HotglueValidatedOptions,
      @InjectHotglueOptions() readonly options: HotglueValidatedOptions,
      @InjectHotglueSigningKey() readonly signingKey: HotglueSigningKey,
      @Inject(getHotglueSigningKeyToken()) readonly signingKeyByToken: HotglueSigningKey,
    ) {}
  }

  @Injectable()
  class PropertyConsumer {
    @InjectHotglueSigningKey() readonly signingKey!: HotglueSigningKey;
    @InjectHotglueOptions() readonly options!: HotglueValidatedOptions;
  }

  it('injects the validated options and the parsed key', async () => {
    const ref = await Test.createTestingModule({
      imports: [HotglueModule.forRoot(baseOptions())],
      providers: [Consumer, PropertyConsumer],
    }).compile();
    const consumer = ref.get(Consumer);
    expect(consumer.options.envId).toBe(ENV_ID);
    expect(consumer.optionsByToken).toBe(consumer.options);
    expect(consumer.signingKey.fingerprint).toBe(expectedFingerprint(key.publicKey));
    expect(consumer.signingKeyByToken).toBe(consumer.signingKey);
    expect(consumer.signingKey.publicKeyPem).toBe(key.publicKeyPem);
    const byProperty = ref.get(PropertyConsumer);
    expect(byProperty.signingKey).toBe(consumer.signingKey);
    expect(byProperty.options).toBe(consumer.options);
  });

  it('token getters return the exported injection tokens', () => {
    expect(getHotglueOptionsToken()).toBe(HOTGLUE_OPTIONS);
    expect(getHotglueSigningKeyToken()).toBe(HOTGLUE_SIGNING_KEY);
  });
});
