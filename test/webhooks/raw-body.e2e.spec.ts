import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak } from '../support/leaks.js';
import { rawExchange } from './raw-socket.js';
import {
  type AdapterName,
  CANARY_SECRET,
  jobBody,
  sign,
  startWebhookApp,
  type WebhookTestApp,
} from './webhook-harness.js';

describe.each<AdapterName>(['express', 'fastify'])(
  'webhook route on %s: raw body and signature',
  (adapter) => {
    let t: WebhookTestApp;
    const responses: string[] = [];
    beforeAll(async () => {
      t = await startWebhookApp(adapter);
    });
    afterAll(async () => {
      await t.close();
      expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
      expectNoLeak(responses.join('\n'), [CANARY_SECRET], 'responses');
    });
    const post = async (body: string | Buffer, headers?: Record<string, string>) => {
      const res = await t.post(body, headers);
      const text = await res.text();
      responses.push(text);
      return { status: res.status, text };
    };

    it('accepts a valid signature and processes the event once', async () => {
      const body = JSON.stringify(jobBody({ job_id: 'valid1', s3_root: `${adapter}/valid1` }));
      const before = t.handler.events.length;
      const res = await post(body, { 'x-hub-signature': sign(body) });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ received: true, outcome: 'processed' });
      expect(t.handler.events.length).toBe(before + 1);
      expect(t.handler.events.at(-1)!.event).toMatchObject({
        kind: 'job',
        jobId: 'valid1',
        tenantId: 'tenant-1',
      });
    });

    it('refuses a body tampered by one byte, a wrong secret and a missing header with 401', async () => {
      const body = JSON.stringify(jobBody({ job_id: 'tamper' }));
      const tampered = body.replace('tamper', 'tampes');
      const before = t.handler.events.length;
      expect((await post(tampered, { 'x-hub-signature': sign(body) })).status).toBe(401);
      expect((await post(body, { 'x-hub-signature': sign(body, 'another-secret') })).status).toBe(401);
      expect((await post(body)).status).toBe(401);
      expect((await post(body, { 'x-hub-signature': 'sha1=' })).status).toBe(401);
      expect(t.handler.events.length).toBe(before);
    });

    it('verifies a pretty-printed body as sent, with a sha1= prefix and in upper-case hex', async () => {
      const pretty = JSON.stringify(jobBody({ job_id: 'pretty', s3_root: `${adapter}/pretty` }), null, 2);
      expect((await post(pretty, { 'x-hub-signature': sign(pretty) })).status).toBe(200);
      const prefixed = JSON.stringify(jobBody({ job_id: 'prefix', s3_root: `${adapter}/prefix` }));
      expect((await post(prefixed, { 'x-hub-signature': `sha1=${sign(prefixed)}` })).status).toBe(200);
      const upper = JSON.stringify(jobBody({ job_id: 'upper', s3_root: `${adapter}/upper` }));
      expect((await post(upper, { 'x-hub-signature': sign(upper).toUpperCase() })).status).toBe(200);
    });

    it('answers 401 to an unsigned non-JSON body and 400 to a signed one (or a signed empty body)', async () => {
      const before = t.handler.events.length;
      expect((await post('this is { not json')).status).toBe(401);
      expect((await post('<xml/>', { 'content-type': 'text/xml' })).status).toBe(401);
      expect((await post('not json', { 'x-hub-signature': sign('not json') })).status).toBe(400);
      expect((await post('[1,2]', { 'x-hub-signature': sign('[1,2]') })).status).toBe(400);
      expect((await post('', { 'x-hub-signature': sign('') })).status).toBe(400);
      expect((await post('')).status).toBe(401);
      expect(t.handler.events.length).toBe(before);
    });

    it('accepts a signed body near the 1 MiB cap (above Express 100 kB) and answers 413 beyond it', async () => {
      const base = JSON.stringify(jobBody({ job_id: 'big', s3_root: `${adapter}/big`, pad: '' }));
      const big = base.replace('"pad":""', `"pad":"${'x'.repeat(1024 * 1024 - base.length)}"`);
      expect(Buffer.byteLength(big)).toBe(1024 * 1024);
      expect((await post(big, { 'x-hub-signature': sign(big) })).status).toBe(200);
      const over = `${big} `;
      const before = t.handler.events.length;
      expect((await post(over, { 'x-hub-signature': sign(over) })).status).toBe(413);
      expect(t.handler.events.length).toBe(before);
    });

    it('captures a request target with a fragment (`#x`) as the router routes it: no 500, no false setup alarm', async () => {
      const body = JSON.stringify(jobBody({ job_id: 'frag', s3_root: `${adapter}/frag` }));
      const res = await rawExchange(
        t.url,
        [
          'POST /hotglue/webhooks#x HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `X-Hub-Signature: ${sign(body)}`,
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
        ].join('\r\n'),
        (socket) => void socket.write(body),
      );
      responses.push(res.body);
      expect(res.status).toBe(200);
      expect(t.output.text()).not.toMatch(/body parser|read before the webhook route/);
    });

    it('keeps an unknown signed shape as kind unknown', async () => {
      const body = JSON.stringify({ hello: 'world', at: Date.now() });
      expect((await post(body, { 'x-hub-signature': sign(body) })).status).toBe(200);
      expect(t.handler.events.at(-1)!.event).toMatchObject({ kind: 'unknown', raw: { hello: 'world' } });
    });
  },
);

describe.each<AdapterName>(['express', 'fastify'])('webhook route on %s built by NestFactory', (adapter) => {
  it('captures the raw body when the adapter is attached before providers exist, under a global prefix', async () => {
    const t = await startWebhookApp(adapter, undefined, {
      factory: true,
      prefix: 'api',
      path: 'hooks/hotglue',
    });
    try {
      const big = JSON.stringify(jobBody({ pad: 'y'.repeat(300_000) }));
      expect((await t.post(big, { 'x-hub-signature': sign(big) })).status).toBe(200);
      expect((await t.post('nope')).status).toBe(401);
      // Other routes keep the framework's own parser (404 here, but the JSON is still parsed normally).
      const other = await fetch(`${t.url}/api/elsewhere`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(other.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('webhook route setup problems', () => {
  it('a JSON parser mounted on the Express instance before Nest created the app: refused with 500, logged with the fix', async () => {
    const { ExpressAdapter } = await import('@nestjs/platform-express');
    const { NestFactory } = await import('@nestjs/core');
    const { Module } = await import('@nestjs/common');
    const { HotglueWebhooksModule } = await import('../../src/hotglue/index.js');
    const { CapturedOutput } = await import('../sample/sample-test-app.js');
    const adapter = new ExpressAdapter();
    // What `app.use(express.json())` on the Express app before NestFactory.create() does: it reads the body.
    adapter.getInstance().use((req: NodeJS.ReadableStream, _res: unknown, next: () => void) => {
      req.resume();
      req.on('end', next);
    });
    const output = new CapturedOutput();
    @Module({ imports: [HotglueWebhooksModule.forRoot({ secret: CANARY_SECRET })] })
    class EarlyParserModule {}
    const app = await NestFactory.create(EarlyParserModule, adapter, { logger: output.logger });
    await app.listen(0, '127.0.0.1');
    try {
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      const body = JSON.stringify(jobBody());
      const res = await fetch(`${url}/hotglue/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': sign(body) },
        body,
      });
      expect(res.status).toBe(500);
      expect(output.text()).toMatch(/mount it after, or leave parsing to Nest/);
    } finally {
      await app.close();
    }
  });
});
