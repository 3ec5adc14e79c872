import { type INestApplication, Inject, Injectable, Module, type Provider } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import {
  type HotglueDelivery,
  type HotglueWebhookEvent,
  HotglueWebhookQueue,
  HotglueWebhooksModule,
  type HotglueWebhooksOptions,
  OnHotglueEvent,
} from '../../../src/hotglue/index.js';
import { CapturedOutput } from '../../sample/sample-test-app.js';
import { CANARY_SECRET, sign } from '../webhook-harness.js';

/** What a spec's handlers do: shared by every app instance of the spec, so it sees all of them. */
export class HandlerScript {
  /** Every successful run: delivery id, instance, event. */
  readonly successes: Array<{ id: string; instance: string; event: HotglueWebhookEvent }> = [];
  /** Every run that started (failing ones included). */
  readonly starts: Array<{ id: string; instance: string; receivedAt: Date }> = [];
  /** Delivery ids seen at least once (a first try). */
  readonly seen = new Set<string>();
  /** Decides whether a run throws (and what); return undefined to succeed. */
  fail: (delivery: HotglueDelivery, firstTry: boolean, event: HotglueWebhookEvent) => Error | undefined =
    () => undefined;
  /** Awaited by each run before it ends. */
  hold: (delivery: HotglueDelivery) => Promise<void> | undefined = () => undefined;

  async run(instance: string, event: HotglueWebhookEvent, delivery: HotglueDelivery): Promise<void> {
    const firstTry = !this.seen.has(delivery.id);
    this.seen.add(delivery.id);
    this.starts.push({ id: delivery.id, instance, receivedAt: delivery.receivedAt });
    await this.hold(delivery);
    const error = this.fail(delivery, firstTry, event);
    if (error) throw error;
    this.successes.push({ id: delivery.id, instance, event });
  }

  successCount(id: string): number {
    return this.successes.filter((success) => success.id === id).length;
  }
}

export const SCRIPT = Symbol('queue-spec-script');
export const INSTANCE = Symbol('queue-spec-instance');

@Injectable()
class ScriptedHandler {
  constructor(
    @Inject(SCRIPT) private readonly script: HandlerScript,
    @Inject(INSTANCE) private readonly instance: string,
  ) {}

  @OnHotglueEvent('*')
  handle(event: HotglueWebhookEvent, delivery: HotglueDelivery): Promise<void> {
    return this.script.run(this.instance, event, delivery);
  }
}

export interface QueueTestApp {
  readonly app: INestApplication;
  readonly route: string;
  readonly output: CapturedOutput;
  readonly queue: HotglueWebhookQueue;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/** A real Nest app on loopback (Express) with `HotglueWebhooksModule` in the given mode. */
export async function startQueueApp(
  instance: string,
  script: HandlerScript,
  options: HotglueWebhooksOptions,
  providers: Provider[] = [],
): Promise<QueueTestApp> {
  const output = new CapturedOutput();
  @Module({
    imports: [HotglueWebhooksModule.forRoot(options)],
    providers: [
      { provide: SCRIPT, useValue: script },
      { provide: INSTANCE, useValue: instance },
      ScriptedHandler,
      ...providers,
    ],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication(new ExpressAdapter(), { logger: output.logger });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const route = `${url}/hotglue/webhooks`;
  return {
    app,
    route,
    output,
    queue: app.get(HotglueWebhookQueue),
    post: (body, headers = {}) =>
      fetch(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': sign(body), ...headers },
        body,
      }),
    close: () => app.close(),
  };
}

/** A signed connection-free job body, unique per `n`. */
export function deliveryBody(n: number | string): string {
  return JSON.stringify({
    job_id: `job-${n}`,
    env_id: 'dev.example.hotglue.xyz',
    flow_id: 'flowA',
    tenant: 'tenant-1',
    s3_root: `tenant-1/flows/flowA/jobs/${n}`,
    status: 'JOB_COMPLETED',
    last_updated: new Date().toISOString(),
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 25 ms until it holds or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export { CANARY_SECRET };
