import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { BodyBudget } from './raw-body/body-budget.js';
import { expressBodyCapture } from './raw-body/express-capture.js';
import { fastifyBodyCapture } from './raw-body/fastify-capture.js';
import { WebhookPathMatcher } from './raw-body/path-matcher.js';
import type { BodyLimits, BodyRefusal } from './raw-body/read-webhook-body.js';
import { HotglueWebhookSetupError } from './webhook.errors.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
import { HotglueWebhookReceiver } from './webhook-receiver.js';
import { HOTGLUE_WEBHOOK_OPTIONS, HOTGLUE_WEBHOOK_PATH } from './webhooks.constants.js';

interface AdapterLike {
  getType?(): string;
  getInstance(): { use?(fn: unknown): unknown; addHook?(name: string, fn: unknown): unknown };
}

/**
 * Mounts the raw-body capture on the HTTP adapter before Nest registers its body parsers, with nothing
 * asked of the host (no `rawBody`, no `bodyParser: false`). The timing is Nest's: providers are created
 * before `app.init()`, and `app.init()` registers the JSON and urlencoded parsers before any module
 * middleware. `HttpAdapterHost.init$` is a replay subject that fires when the adapter is attached
 * (`NestFactory.create`: before providers are created; `Test...createNestApplication()`: after), so
 * subscribing in the constructor runs the install in both orders, and always before `init()`.
 * The capture reads bodies within the route's limits (cap, deadline, one in-flight budget per route) and
 * answers refused bodies itself; the receiver logs and counts them.
 */
@Injectable()
export class HotglueWebhookBodyCapture implements OnModuleInit {
  private problem: HotglueWebhookSetupError | undefined;

  constructor(
    @Inject(HttpAdapterHost) host: HttpAdapterHost,
    @Inject(ApplicationConfig) config: ApplicationConfig,
    @Inject(HOTGLUE_WEBHOOK_OPTIONS) options: ResolvedWebhookOptions,
    @Inject(HOTGLUE_WEBHOOK_PATH) path: string,
    @Inject(HotglueWebhookReceiver) receiver: HotglueWebhookReceiver,
  ) {
    const matcher = new WebhookPathMatcher(path, () => config.getGlobalPrefix());
    const limits: BodyLimits = {
      maxBytes: options.maxBodyBytes,
      timeoutMs: options.bodyTimeoutMs,
      budget: new BodyBudget(options.maxInFlightBodyBytes),
    };
    const onRefused = (refusal: BodyRefusal) => receiver.refusedByCapture(refusal);
    host.init$.subscribe(() => {
      const adapter = host.httpAdapter as unknown as AdapterLike | undefined;
      if (!adapter) return;
      this.install(adapter, matcher, limits, onRefused);
    });
  }

  /** Fails the boot with a typed error when the adapter is neither Express nor Fastify. */
  onModuleInit(): void {
    if (this.problem) throw this.problem;
  }

  private install(
    adapter: AdapterLike,
    matcher: WebhookPathMatcher,
    limits: BodyLimits,
    onRefused: (refusal: BodyRefusal) => void,
  ): void {
    const type = adapter.getType?.();
    const instance = adapter.getInstance();
    if (type === 'express' && typeof instance.use === 'function') {
      instance.use(expressBodyCapture(matcher, limits, onRefused));
    } else if (type === 'fastify' && typeof instance.addHook === 'function') {
      instance.addHook('preParsing', fastifyBodyCapture(matcher, limits, onRefused));
    } else {
      this.problem = new HotglueWebhookSetupError(
        'unsupported-adapter',
        `the HTTP adapter "${String(type)}" is not supported: use @nestjs/platform-express or @nestjs/platform-fastify.`,
      );
    }
  }
}
