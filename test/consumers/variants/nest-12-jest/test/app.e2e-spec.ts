// The README's AppModule spec under Jest in a Nest 12 CommonJS app: Jest globals, extensionless imports.
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HotglueTestEnv, startHotglueTestEnv } from 'nestjs-hotglue/testing';
import { AppModule } from '../src/app.module';

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
    const { url, envId, defaultFlowId, publicApiKey } = hotglue.emulator;
    const linked = await fetch(`${url}/${envId}/${defaultFlowId}/acme/linkedSources?token=${token}`, {
      headers: { 'x-api-key': publicApiKey },
    });
    expect(linked.status).toBe(200);
  });
});
