/**
 * "Testing your own AppModule" as the README shows it: the app's one-line ConfigModule wiring, booted by
 * `Test.createTestingModule({ imports: [AppModule] })` against the emulator, with no real setting.
 */
import 'reflect-metadata';
import { Controller, Get, type INestApplication, Inject, Module, Param } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueClient, HotglueModule, HotglueTokenService, hotglueConfig } from '../../src/hotglue/index.js';
import { type HotglueTestEnv, startHotglueTestEnv } from '../../src/hotglue-testing/index.js';

@Controller()
class AppController {
  constructor(
    @Inject(HotglueTokenService) private readonly tokens: HotglueTokenService,
    @Inject(HotglueClient) private readonly hotglue: HotglueClient,
  ) {}

  @Get()
  getHello(): string {
    return 'Hello World!';
  }

  @Get('tenants/:tenantId/sources')
  async sources(@Param('tenantId') tenantId: string) {
    const sources = await this.hotglue.getLinkedSources(tenantId, { auth: 'tenant' });
    return sources.map((source) => source.tap);
  }

  @Get('tenants/:tenantId/token')
  async token(@Param('tenantId') tenantId: string) {
    return { tenantId: (await this.tokens.getToken(tenantId)).tenantId };
  }
}

@Module({
  imports: [ConfigModule.forRoot(), HotglueModule.forRootAsync(hotglueConfig.asProvider())],
  controllers: [AppController],
})
class AppModule {}

describe('AppController (e2e) against startHotglueTestEnv()', () => {
  const before = { ...process.env };
  let hotglue: HotglueTestEnv;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    hotglue = await startHotglueTestEnv();
    hotglue.emulator.linkSource(hotglue.emulator.defaultFlowId, 'acme', { tap: 'shopify', label: 'Shopify' });
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication();
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await hotglue?.close();
  });

  it('boots the unchanged AppModule: the Nest CLI default spec still passes', async () => {
    const response = await fetch(base);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('Hello World!');
  });

  it('signs with the generated key and calls the emulator in tenant mode', async () => {
    expect(await (await fetch(`${base}/tenants/acme/sources`)).json()).toEqual(['shopify']);
    expect(await (await fetch(`${base}/tenants/acme/token`)).json()).toEqual({ tenantId: 'acme' });
    const tenantCalls = hotglue.emulator.requests.filter((r) => r.path.includes('/acme/linkedSources'));
    expect(tenantCalls.at(-1)).toMatchObject({ keyKind: 'public', token: 'valid' });
  });

  it('exposes the variables it set, and puts process.env back on close', async () => {
    expect(process.env.HOTGLUE_API_URL).toBe(hotglue.emulator.url);
    expect(hotglue.env.HOTGLUE_ENV_ID).toBe(hotglue.emulator.envId);
    const second = await startHotglueTestEnv();
    expect(process.env.HOTGLUE_API_URL).toBe(second.emulator.url);
    await second.close();
    expect(process.env.HOTGLUE_API_URL).toBe(hotglue.emulator.url);
    const target: NodeJS.ProcessEnv = { HOTGLUE_SIGNING_KEY_FILE: '/mounted/key' };
    const restore = hotglue.apply(target);
    expect(target.HOTGLUE_SIGNING_KEY_FILE).toBeUndefined();
    restore();
    expect(target).toEqual({ HOTGLUE_SIGNING_KEY_FILE: '/mounted/key' });
    expect(
      Object.keys(before).every((name) => name.startsWith('HOTGLUE_') || process.env[name] === before[name]),
    ).toBe(true);
  });
});
