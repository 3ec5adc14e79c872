import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ModuleRef, NestFactory } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueHealthIndicator } from '../../src/hotglue/health/index.js';
import {
  getHotglueClientToken,
  getHotglueEnvironment,
  getHotglueTokenServiceToken,
  HotglueArgumentError,
  HotglueClient,
  HotglueConfigError,
  HotglueEnvironmentNotFoundError,
  HotglueModule,
  HotglueTenant,
  HotglueTenantEnvironment,
  HotglueTenantGuard,
  HotglueTokenService,
  hotglueConfig,
  hotglueConfigFor,
  InjectHotglueClient,
  InjectHotglueTokenService,
} from '../../src/hotglue/index.js';
import { hotglueEnvPrefix } from '../../src/hotglue/options/environment-names.js';
import {
  generateTestSigningKey,
  type HotglueTestEnv,
  startHotglueTestEnv,
} from '../../src/hotglue-testing/index.js';
import { expectedFingerprint } from '../support/keys.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { hotglueOptionsFromEnv } from '../support/library-internals.js';

let us: HotglueTestEnv;
let eu: HotglueTestEnv;
const saved = { ...process.env };

/** `HOTGLUE_X` -> `HOTGLUE_EU_X`, the variables `hotglueConfigFor('eu')` reads. */
const renamed = (env: Readonly<Record<string, string>>, name: string) =>
  Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key.replace(/^HOTGLUE_/, hotglueEnvPrefix(name)), value]),
  );

beforeAll(async () => {
  us = await startHotglueTestEnv({ applyToProcessEnv: false, signingKey: generateTestSigningKey('env-us') });
  eu = await startHotglueTestEnv({ applyToProcessEnv: false, signingKey: generateTestSigningKey('env-eu') });
  expect(expectedFingerprint(us.signingKey.publicKey)).not.toBe(expectedFingerprint(eu.signingKey.publicKey));
  us.emulator.linkSource(undefined, 'acme', { tap: 'salesforce' });
  eu.emulator.linkSource(undefined, 'acme', { tap: 'hubspot' });
  Object.assign(process.env, us.env, renamed(eu.env, 'eu'));
});
afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await us.close();
  await eu.close();
});

@Injectable()
class TwoEnvironments {
  constructor(
    @InjectHotglueTokenService() readonly usTokens: HotglueTokenService,
    @InjectHotglueTokenService('eu') readonly euTokens: HotglueTokenService,
    @InjectHotglueClient() readonly usClient: HotglueClient,
    @InjectHotglueClient('eu') readonly euClient: HotglueClient,
  ) {}
}

const bothEnvironments = () => [
  ConfigModule.forRoot({ ignoreEnvFile: true }),
  HotglueModule.forRootAsync(hotglueConfig.asProvider()),
  HotglueModule.forRootAsync({ name: 'eu', ...hotglueConfigFor('eu').asProvider() }),
];

describe('named environments', () => {
  it('reads HOTGLUE_<NAME>_* with the name upper-cased and other characters as _', () => {
    expect(hotglueEnvPrefix()).toBe('HOTGLUE_');
    expect(hotglueEnvPrefix('eu')).toBe('HOTGLUE_EU_');
    expect(hotglueEnvPrefix('eu-west.1')).toBe('HOTGLUE_EU_WEST_1_');
    expect(
      hotglueOptionsFromEnv({ HOTGLUE_EU_WEST_1_ENV_ID: 'x.hotglue.xyz', HOTGLUE_ENV_ID: 'y' }, 'eu-west.1'),
    ).toEqual({
      envId: 'x.hotglue.xyz',
    });
    expect(hotglueConfigFor('eu')).toBe(hotglueConfigFor('eu'));
    expect(() => hotglueConfigFor('../x')).toThrow(HotglueArgumentError);
    expect(() => HotglueModule.forRoot({ name: 'a b', envId: 'x', signingKey: 'k' })).toThrow(
      HotglueArgumentError,
    );
  });

  it('two environments live in one app, each with its own key, cache, client and pool', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: bothEnvironments(),
      providers: [TwoEnvironments],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      const both = app.get(TwoEnvironments);
      // The class tokens stay the unnamed environment's.
      expect(app.get(HotglueTokenService)).toBe(both.usTokens);
      expect(app.get(HotglueClient)).toBe(both.usClient);
      expect(app.get(getHotglueTokenServiceToken('eu'))).toBe(both.euTokens);
      expect(app.get(getHotglueClientToken('eu'))).toBe(both.euClient);
      expect(both.euTokens).not.toBe(both.usTokens);
      expect(both.euClient).not.toBe(both.usClient);

      expect(both.usTokens.signingKey.fingerprint).toBe(expectedFingerprint(us.signingKey.publicKey));
      expect(both.euTokens.signingKey.fingerprint).toBe(expectedFingerprint(eu.signingKey.publicKey));
      const usToken = await both.usTokens.getToken('acme');
      const euToken = await both.euTokens.getToken('acme');
      await expect(both.usTokens.verifyToken(usToken.token)).resolves.toBeTruthy();
      await expect(both.usTokens.verifyToken(euToken.token)).rejects.toMatchObject({ problem: 'signature' });
      await expect(both.euTokens.verifyToken(euToken.token)).resolves.toBeTruthy();
      // Separate caches: evicting one environment's tokens leaves the other's.
      both.usTokens.evictToken();
      // (Compared as records: RS256 is deterministic, so a re-signing within the same second is the same text.)
      expect(await both.euTokens.getToken('acme')).toBe(euToken);
      expect(await both.usTokens.getToken('acme')).not.toBe(usToken);

      // Separate clients: each reaches its own hotglue, with its own keys and its own tokens.
      const usBefore = us.emulator.requests.length;
      const euBefore = eu.emulator.requests.length;
      const usSources = await both.usClient.getLinkedSources('acme', { auth: 'tenant' });
      const euSources = await both.euClient.getLinkedSources('acme', { auth: 'tenant' });
      expect(usSources.map((source) => source.tap)).toEqual(['salesforce']);
      expect(euSources.map((source) => source.tap)).toEqual(['hubspot']);
      expect(us.emulator.requests.slice(usBefore).map((r) => r.token)).toEqual(['valid']);
      expect(eu.emulator.requests.slice(euBefore).map((r) => r.token)).toEqual(['valid']);

      // The seam for guards and companion kits: one lookup by name.
      const resolved = getHotglueEnvironment(app.get(ModuleRef), 'eu');
      expect(resolved.name).toBe('eu');
      expect(resolved.client).toBe(both.euClient);
      expect(resolved.tokens).toBe(both.euTokens);
      expect(resolved.options.envId).toBe(eu.emulator.envId);
      expect(() => getHotglueEnvironment(app.get(ModuleRef), 'apac')).toThrow(
        HotglueEnvironmentNotFoundError,
      );
    } finally {
      await app.close();
    }
  });

  it('a named environment alone works, and config errors name its own variables, never values', async () => {
    const bad = {
      HOTGLUE_SANDBOX_ENV_ID: 'has space',
      HOTGLUE_SANDBOX_SIGNING_KEY: 'not-a-key-canary-4f1d2a9b8c7e6d5f',
    };
    Object.assign(process.env, bad);
    try {
      const error = await Test.createTestingModule({
        imports: [
          ConfigModule.forRoot({ ignoreEnvFile: true }),
          HotglueModule.forRootAsync({ name: 'sandbox', ...hotglueConfigFor('sandbox').asProvider() }),
        ],
      })
        .compile()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(HotglueConfigError);
      const message = (error as Error).message;
      expect(message).toContain('HOTGLUE_SANDBOX_ENV_ID');
      expect(message).toContain('HOTGLUE_SANDBOX_SIGNING_KEY');
      expect(message).not.toMatch(/HOTGLUE_ENV_ID|HOTGLUE_SIGNING_KEY\b/);
      expectNoLeak(
        message,
        [bad.HOTGLUE_SANDBOX_SIGNING_KEY, ...pemSecretForms(us.signingKey.privateKeyPem)],
        'config error',
      );
    } finally {
      delete process.env.HOTGLUE_SANDBOX_ENV_ID;
      delete process.env.HOTGLUE_SANDBOX_SIGNING_KEY;
    }

    const only = await Test.createTestingModule({
      imports: [
        HotglueModule.forRoot({
          name: 'eu',
          envId: eu.emulator.envId,
          signingKey: eu.signingKey.privateKeyBase64,
        }),
      ],
    }).compile();
    expect(only.get(getHotglueTokenServiceToken('eu'))).toBeInstanceOf(HotglueTokenService);
    expect(() => only.get(HotglueTokenService)).toThrow();
    await only.close();
  });
});

interface AuthedRequest {
  user?: { tenants: string[] };
}
const tenantsOf = (request: AuthedRequest) => request.user?.tenants;

@Controller()
class EuController {
  constructor(@InjectHotglueTokenService('eu') private readonly tokens: HotglueTokenService) {}

  @UseGuards(HotglueTenantGuard({ tenantsOf, environment: 'eu' }))
  @Get('eu/token')
  async token(
    @HotglueTenant() tenantId: string,
    @HotglueTenantEnvironment() environment: string | undefined,
  ) {
    const token = await this.tokens.getToken(tenantId);
    return { tenantId, environment, token: token.token };
  }
}

describe('health of a named environment', () => {
  it('HotglueHealthIndicator checks the environment it is asked for, with its own fingerprint', async () => {
    @Module({ imports: [TerminusModule, ...bothEnvironments()], providers: [HotglueHealthIndicator] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      const health = app.get(HotglueHealthIndicator);
      const euHealth = await health.isHealthy('hotglue-eu', { environment: 'eu', cacheMs: 0 });
      expect(euHealth['hotglue-eu']).toMatchObject({
        status: 'up',
        environment: 'eu',
        keyFingerprint: expectedFingerprint(eu.signingKey.publicKey),
        api: eu.emulator.url,
      });
      const usHealth = await health.isHealthy('hotglue', { cacheMs: 0 });
      expect(usHealth.hotglue).toMatchObject({
        status: 'up',
        keyFingerprint: expectedFingerprint(us.signingKey.publicKey),
      });
      expect(usHealth.hotglue).not.toHaveProperty('environment');
      await expect(health.isHealthy('x', { environment: 'apac' })).rejects.toBeInstanceOf(
        HotglueEnvironmentNotFoundError,
      );
    } finally {
      await app.close();
    }
  });
});

describe('HotglueTenantGuard bound to a named environment', () => {
  it('stores the environment on the request and serves that environment', async () => {
    @Module({ imports: bothEnvironments(), controllers: [EuController] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    app.use((req: AuthedRequest, _res: unknown, next: () => void) => {
      req.user = { tenants: ['acme'] };
      next();
    });
    await app.listen(0, '127.0.0.1');
    try {
      const body = (await (await fetch(`${await app.getUrl()}/eu/token`)).json()) as Record<string, string>;
      expect(body.tenantId).toBe('acme');
      expect(body.environment).toBe('eu');
      const euTokens = app.get<HotglueTokenService>(getHotglueTokenServiceToken('eu'));
      await expect(euTokens.verifyToken(body.token!, { tenantId: 'acme' })).resolves.toBeTruthy();
    } finally {
      await app.close();
    }
  });

  it('fails at start-up when the bound environment is not registered', async () => {
    @Controller()
    class ApacController {
      @UseGuards(HotglueTenantGuard({ tenantsOf, environment: 'apac' }))
      @Get('apac/token')
      token(@HotglueTenant() tenantId: string) {
        return { tenantId };
      }
    }
    @Module({
      imports: [
        HotglueModule.forRoot({ envId: us.emulator.envId, signingKey: us.signingKey.privateKeyBase64 }),
      ],
      controllers: [ApacController],
    })
    class AppModule {}
    const error = await NestFactory.create(AppModule, { logger: false, abortOnError: false })
      .then((app) => app.init().then(() => app.close()))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(HotglueEnvironmentNotFoundError);
    expect((error as Error).message).toContain("hotglueConfigFor('apac')");
  });
});
