import { createHmac } from 'node:crypto';
import { type INestApplication, Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  type HotglueDelivery,
  type HotglueWebhookEvent,
  HotglueWebhooksModule,
  type HotglueWebhooksOptions,
  OnHotglueEvent,
} from '../../src/hotglue/index.js';
import { CapturedOutput } from '../sample/sample-test-app.js';

/** A canary webhook secret: it must never show up in a log line, an error or a response. */
export const CANARY_SECRET = 'whsec-CANARY-9f8e7d6c5b4a39281706-do-not-log';

export const sign = (body: string | Buffer, secret = CANARY_SECRET) =>
  createHmac('sha1', secret).update(body).digest('hex');

/** Records every event; `failNext` makes the next N calls throw. */
@Injectable()
export class RecordingHandler {
  readonly events: Array<{ event: HotglueWebhookEvent; delivery: HotglueDelivery }> = [];
  readonly jobs: HotglueWebhookEvent[] = [];
  failNext = 0;
  /** Resolved when a call starts, to hold it (concurrency tests). */
  gate: Promise<void> | undefined;

  @OnHotglueEvent('*')
  async any(event: HotglueWebhookEvent, delivery: HotglueDelivery): Promise<void> {
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error(`handler failed on purpose ${CANARY_SECRET}`);
    }
    this.events.push({ event, delivery });
  }

  @OnHotglueEvent('job', { status: ['JOB_COMPLETED', 'SYNC_FAILED'] })
  finished(event: HotglueWebhookEvent): void {
    this.jobs.push(event);
  }
}

export type AdapterName = 'express' | 'fastify';

export interface WebhookTestApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly handler: RecordingHandler;
  readonly output: CapturedOutput;
  post(body: string | Buffer, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * A real Nest app on loopback with `HotglueWebhooksModule` and a recording handler. `factory`: build with
 * `NestFactory.create` (adapter attached before providers exist) instead of the testing module (attached
 * after): the body capture must work in both orders.
 */
export async function startWebhookApp(
  adapter: AdapterName,
  options: HotglueWebhooksOptions = { secret: CANARY_SECRET },
  extra: { factory?: boolean; path?: string; prefix?: string; imports?: ModuleMetadata['imports'] } = {},
): Promise<WebhookTestApp> {
  const output = new CapturedOutput();
  @Module({
    imports: [
      HotglueWebhooksModule.forRoot({ ...options, ...(extra.path ? { path: extra.path } : {}) }),
      ...(extra.imports ?? []),
    ],
    providers: [RecordingHandler],
  })
  class AppModule {}
  const httpAdapter = adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter();
  let app: INestApplication;
  if (extra.factory) {
    app = await NestFactory.create(AppModule, httpAdapter, { logger: output.logger, abortOnError: false });
  } else {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication(httpAdapter, { logger: output.logger });
  }
  if (extra.prefix) app.setGlobalPrefix(extra.prefix);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const route = `${url}/${extra.prefix ? `${extra.prefix}/` : ''}${extra.path ?? 'hotglue/webhooks'}`;
  return {
    app,
    url,
    handler: app.get(RecordingHandler),
    output,
    post: (body, headers = {}) =>
      fetch(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      }),
    close: () => app.close(),
  };
}

/** A job body as hotglue sends it (its Job object). */
export function jobBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: 'Ab3_xZ',
    env_id: 'dev.example.hotglue.xyz',
    flow_id: 'flowA',
    tenant: 'tenant-1',
    s3_root: 'tenant-1/flows/flowA/jobs/2026/11/5/30/03/Ab3_xZ',
    status: 'JOB_COMPLETED',
    last_updated: new Date().toISOString(),
    ...overrides,
  };
}
