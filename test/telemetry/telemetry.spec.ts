import { createHmac } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ModuleRef, NestFactory } from '@nestjs/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getHotglueEnvironment,
  HotglueApiError,
  HotglueClient,
  HotglueModule,
  HotglueTokenService,
  HotglueWebhooksModule,
} from '../../src/hotglue/index.js';
import {
  generateTestSigningKey,
  type HotglueTestEnv,
  startHotglueTestEnv,
} from '../../src/hotglue-testing/index.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { HOTGLUE_METRICS } from '../support/library-internals.js';
import { TestOtelSdk } from '../support/otel-sdk.js';

const otel = new TestOtelSdk();
const { spans, metricExporter } = otel;
let hotglue: HotglueTestEnv;
const WEBHOOK_SECRET = 'whsec-telemetry-spec';

beforeAll(async () => {
  // The SDK is registered before the app is created, as an app's tracing bootstrap does.
  otel.register();
  hotglue = await startHotglueTestEnv({
    applyToProcessEnv: false,
    signingKey: generateTestSigningKey('otel'),
  });
  hotglue.emulator.linkSource(undefined, 'acme', { tap: 'salesforce' });
});
afterAll(async () => {
  await otel.shutdown();
  await hotglue.close();
});

const points = (name: string) => otel.points(name);
const sum = async (name: string) =>
  (await points(name)).reduce(
    (total, point) => total + (typeof point.value === 'number' ? point.value : 0),
    0,
  );

describe('OpenTelemetry', () => {
  it('records tokens, cache hits and misses, client spans following the HTTP semconv, and retries', async () => {
    @Module({
      imports: [
        HotglueModule.forRoot({
          name: 'eu',
          envId: hotglue.emulator.envId,
          signingKey: hotglue.signingKey.privateKeyBase64,
          publicApiKey: hotglue.emulator.publicApiKey,
          secretApiKey: hotglue.emulator.secretApiKey,
          apiUrl: hotglue.emulator.url,
          flowId: hotglue.emulator.defaultFlowId,
          http: { backoffBaseMs: 1, backoffMaxMs: 2 },
        }),
        // Deliveries through the real route are counted in the environment the route is bound to.
        HotglueWebhooksModule.forRoot({ secret: WEBHOOK_SECRET, environment: 'eu' }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const env = getHotglueEnvironment(app.get(ModuleRef), 'eu');
      const tokens: HotglueTokenService = env.tokens;
      const client: HotglueClient = env.client;
      expect(env.telemetry.enabled).toBe(true);
      const minted = [
        await tokens.getToken('acme'),
        await tokens.getToken('acme'),
        await tokens.createToken('globex'),
      ];

      hotglue.emulator.injectFault({ kind: 'status', status: 503 }, { path: /linkedSources$/ });
      const sources = await client.getLinkedSources('acme', { auth: 'tenant' });
      expect(sources).toHaveLength(1);
      await expect(
        client.getLinkedSources('nobody/..', { auth: 'secret', flowId: 'no-such-flow' }),
      ).rejects.toBeInstanceOf(HotglueApiError);
      const deliver = (
        body: string,
        signature = createHmac('sha1', WEBHOOK_SECRET).update(body).digest('hex'),
      ) =>
        fetch(`${base}/hotglue/webhooks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
          body,
        });
      const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const job = JSON.stringify({ job_id: 'j1', flow_id: 'f', tenant: 'acme', status: 'JOB_COMPLETED' });
      expect((await deliver(job)).status).toBe(200);
      expect((await deliver(job)).status).toBe(200);
      expect((await deliver(job, 'bad')).status).toBe(401);

      expect(await sum(HOTGLUE_METRICS.tokensSigned)).toBe(2);
      expect(await sum(HOTGLUE_METRICS.cacheMisses)).toBe(1);
      // The client's tenant call is a hit too (the token was cached by the first getToken).
      expect(await sum(HOTGLUE_METRICS.cacheHits)).toBeGreaterThanOrEqual(2);
      const signing = await points(HOTGLUE_METRICS.signingDuration);
      expect(signing[0]?.attributes).toEqual({ 'hotglue.environment': 'eu' });
      expect(await sum(HOTGLUE_METRICS.retries)).toBe(1);
      const durations = await points(HOTGLUE_METRICS.clientDuration);
      const classes = durations.map((point) => point.attributes['hotglue.status_class']).sort();
      expect(classes).toEqual(['2xx', '4xx', '5xx']);
      for (const point of durations) {
        expect(point.attributes).toMatchObject({
          'hotglue.operation': 'getLinkedSources',
          'http.request.method': 'GET',
          'server.address': '127.0.0.1',
          'hotglue.environment': 'eu',
        });
      }
      const deliveries = await points(HOTGLUE_METRICS.webhookDeliveries);
      expect(deliveries.map((point) => point.attributes['hotglue.webhook.outcome']).sort()).toEqual([
        'duplicate',
        'processed',
        'rejected',
      ]);

      const finished = spans.getFinishedSpans();
      expect(finished).toHaveLength(2);
      const [ok, failed] = finished as [ReadableSpan, ReadableSpan];
      expect(ok.name).toBe('GET /{env}/{flow}/{tenant}/linkedSources');
      expect(ok.kind).toBe(2 /* SpanKind.CLIENT */);
      expect(ok.attributes).toMatchObject({
        'http.request.method': 'GET',
        'http.response.status_code': 200,
        'http.request.resend_count': 1,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(hotglue.emulator.url).port),
        'url.template': '/{env}/{flow}/{tenant}/linkedSources',
        'hotglue.operation': 'getLinkedSources',
        'hotglue.tenant_id': 'acme',
        'hotglue.auth': 'tenant',
      });
      expect(String(ok.attributes['url.full'])).not.toContain('?');
      expect(ok.status.code).toBe(0);
      expect(failed.attributes['error.type']).toBe('404');
      expect(failed.status.code).toBe(2 /* ERROR */);

      // Never a token, a key or a query string with `token`, anywhere in what telemetry exported.
      const exported = JSON.stringify({
        spans: finished.map((span) => ({
          name: span.name,
          attributes: span.attributes,
          status: span.status,
          events: span.events,
        })),
        metrics: metricExporter.getMetrics(),
      });
      expect(exported).not.toContain('token=');
      expectNoLeak(
        exported,
        [
          ...minted.map((token) => token.token),
          hotglue.emulator.publicApiKey,
          hotglue.emulator.secretApiKey,
          ...pemSecretForms(hotglue.signingKey.privateKeyPem),
        ],
        'exported telemetry',
      );
    } finally {
      await app.close();
    }
  });

  it('telemetry: false records nothing for that environment', async () => {
    spans.reset();
    const before = await sum(HOTGLUE_METRICS.tokensSigned);
    const app = await NestFactory.createApplicationContext(
      HotglueModule.forRoot({
        envId: 'x.hotglue.xyz',
        signingKey: hotglue.signingKey.privateKeyBase64,
        telemetry: false,
      }),
      { logger: false },
    );
    try {
      await app.get(HotglueTokenService).createToken('acme');
      expect(getHotglueEnvironment(app.get(ModuleRef)).telemetry.enabled).toBe(false);
      expect(await sum(HOTGLUE_METRICS.tokensSigned)).toBe(before);
      expect(app.get(HotglueClient)).toBeInstanceOf(HotglueClient);
    } finally {
      await app.close();
    }
  });
});
