import type { ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { HotglueConfigError, HotglueWebhooksModule } from '../../src/hotglue/index.js';
import { expectNoLeak } from '../support/leaks.js';
import { CANARY_SECRET, jobBody, sign, startWebhookApp, type WebhookTestApp } from './webhook-harness.js';

let t: WebhookTestApp | undefined;
afterEach(async () => {
  await t?.close();
  if (t) expectNoLeak(t.output.text(), [CANARY_SECRET], 'logs');
  t = undefined;
});

/** Starts an app of `imports` on loopback, POSTs `body` signed to `path`, and answers the status. */
async function postSignedTo(imports: ModuleMetadata['imports'], path: string, body: string): Promise<number> {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  try {
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      body,
      headers: { 'x-hub-signature': sign(body) },
    });
    return res.status;
  } finally {
    await app.close();
  }
}

const signed = (body: unknown) => {
  const text = JSON.stringify(body);
  return [text, { 'x-hub-signature': sign(text) }] as const;
};

describe('exactly once, at least once', () => {
  it('processes a delivery sent 20 times concurrently once; every copy is acknowledged', async () => {
    t = await startWebhookApp('express');
    let open!: () => void;
    t.handler.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const [body, headers] = signed(jobBody({ job_id: 'conc' }));
    const pending = Array.from({ length: 20 }, () => t!.post(body, headers));
    setTimeout(() => open(), 100);
    const answers = await Promise.all(pending);
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const outcomes = await Promise.all(
      answers.map(async (r) => ((await r.json()) as { outcome: string }).outcome),
    );
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(19);
    expect(t.handler.events).toHaveLength(1);
  });

  it('treats a re-serialised redelivery of the same job status as a duplicate, another status as new', async () => {
    t = await startWebhookApp('fastify');
    const job = jobBody({ job_id: 'reser' });
    expect((await t.post(...signed(job))).status).toBe(200);
    const pretty = JSON.stringify(job, null, 4);
    const again = await t.post(pretty, { 'x-hub-signature': sign(pretty) });
    expect(await again.json()).toMatchObject({ outcome: 'duplicate' });
    await t.post(...signed({ ...job, status: 'SYNC_FAILED' }));
    expect(t.handler.events.map((e) => (e.event as { status: string }).status)).toEqual([
      'JOB_COMPLETED',
      'SYNC_FAILED',
    ]);
  });

  it('answers 500 when a handler fails, does not mark the delivery, and processes the redelivery', async () => {
    t = await startWebhookApp('express');
    t.handler.failNext = 1;
    const [body, headers] = signed(jobBody({ job_id: 'fail1' }));
    const first = await t.post(body, headers);
    expect(first.status).toBe(500);
    expectNoLeak(await first.text(), [CANARY_SECRET], 'response');
    expect(t.handler.events).toHaveLength(0);
    const second = await t.post(body, headers);
    expect(await second.json()).toMatchObject({ outcome: 'processed' });
    expect(t.handler.events).toHaveLength(1);
    expect(t.output.text()).toMatch(/handler RecordingHandler\.any failed for job delivery/);
  });

  it('a duplicate waiting on a failing first delivery processes it itself', async () => {
    t = await startWebhookApp('express');
    t.handler.failNext = 1;
    let open!: () => void;
    t.handler.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const [body, headers] = signed(jobBody({ job_id: 'fail2' }));
    const a = t.post(body, headers);
    const b = t.post(body, headers);
    setTimeout(() => open(), 100);
    const statuses = (await Promise.all([a, b])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 500]);
    expect(t.handler.events).toHaveLength(1);
  });

  it('runs several handlers per event, with filters', async () => {
    t = await startWebhookApp('express');
    await t.post(...signed(jobBody({ job_id: 'f1', status: 'SYNC_STARTED' })));
    await t.post(...signed(jobBody({ job_id: 'f1', status: 'JOB_COMPLETED' })));
    expect(t.handler.events).toHaveLength(2);
    expect(t.handler.jobs).toHaveLength(1);
  });
});

describe('replay window', () => {
  it('acknowledges and skips events older than the window by their own timestamp', async () => {
    t = await startWebhookApp('express', { secret: CANARY_SECRET, replayWindowMs: 60_000 });
    const old = jobBody({ job_id: 'old', last_updated: new Date(Date.now() - 120_000).toISOString() });
    const res = await t.post(...signed(old));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outcome: 'stale' });
    const fresh = jobBody({ job_id: 'fresh', last_updated: new Date(Date.now() - 30_000).toISOString() });
    expect(await (await t.post(...signed(fresh))).json()).toMatchObject({ outcome: 'processed' });
    expect(t.handler.events.map((e) => (e.event as { jobId: string }).jobId)).toEqual(['fresh']);
  });
});

describe('configuration', () => {
  it('refuses every delivery without a secret and logs one warning at boot', async () => {
    t = await startWebhookApp('express', { secret: '  ' });
    const [body] = signed(jobBody());
    expect((await t.post(body, { 'x-hub-signature': sign(body, '  ') })).status).toBe(401);
    expect(t.output.lines.filter((l) => l.includes('No webhook secret'))).toHaveLength(1);
    expect(t.handler.events).toHaveLength(0);
  });

  it('fails at compile() with every bad option listed, never echoing the secret', async () => {
    const build = Test.createTestingModule({
      imports: [
        HotglueWebhooksModule.forRoot({
          secret: CANARY_SECRET,
          maxBodyBytes: 10,
          replayWindowMs: 3_600_000,
          dedupeTtlMs: 60_000,
          maxInFlightBodyBytes: 512,
          bodyTimeoutMs: 50,
        }),
      ],
    }).compile();
    const error = await build.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueConfigError);
    expect((error as Error).message).toMatch(/webhooks\.maxBodyBytes/);
    expect((error as Error).message).toMatch(/webhooks\.dedupeTtlMs/);
    expect((error as Error).message).toMatch(/webhooks\.maxInFlightBodyBytes/);
    expect((error as Error).message).toMatch(/webhooks\.bodyTimeoutMs/);
    expectNoLeak((error as Error).message, [CANARY_SECRET], 'error');
  });

  it('supports forRootAsync with a static path', async () => {
    const imports = [
      HotglueWebhooksModule.forRootAsync({
        path: 'x/y',
        useFactory: async () => ({ secret: CANARY_SECRET }),
      }),
    ];
    expect(await postSignedTo(imports, '/x/y', JSON.stringify({ a: 1 }))).toBe(200);
  });
});

describe('hotglueWebhooksConfig', () => {
  it('wires HOTGLUE_WEBHOOK_SECRET in one line through ConfigModule', async () => {
    const { ConfigModule } = await import('@nestjs/config');
    const { hotglueWebhooksConfig } = await import('../../src/hotglue/index.js');
    process.env.HOTGLUE_WEBHOOK_SECRET = CANARY_SECRET;
    try {
      const imports = [
        ConfigModule.forRoot({ ignoreEnvFile: true }),
        HotglueWebhooksModule.forRootAsync(hotglueWebhooksConfig.asProvider()),
      ];
      expect(await postSignedTo(imports, '/hotglue/webhooks', JSON.stringify({ a: 2 }))).toBe(200);
    } finally {
      delete process.env.HOTGLUE_WEBHOOK_SECRET;
    }
  });
});
