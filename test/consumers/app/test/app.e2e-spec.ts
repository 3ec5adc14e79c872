import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { type HotglueTestEnv, startHotglueTestEnv } from 'nestjs-hotglue/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';

// The README's "Testing your own AppModule" spec, run inside the consumer app.
describe('AppModule (e2e)', () => {
  let hotglue: HotglueTestEnv;
  let app: INestApplication;

  beforeAll(async () => {
    hotglue = await startHotglueTestEnv(); // sets HOTGLUE_* for the app's hotglueConfig wiring
    const moduleFixture = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleFixture.createNestApplication();
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    await hotglue?.close();
  });

  it('signs a token for the caller tenant that the emulator accepts', async () => {
    const response = await fetch(`${await app.getUrl()}/hotglue/token`, { headers: { 'x-user': 'alice' } });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const linked = await fetch(
      `${hotglue.emulator.url}/${hotglue.emulator.envId}/${hotglue.emulator.defaultFlowId}/acme/linkedSources?token=${token}`,
      { headers: { 'x-api-key': hotglue.emulator.publicApiKey } },
    );
    expect(linked.status).toBe(200);
  });
});
