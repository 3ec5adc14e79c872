import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { expressBodyCapture } from './raw-body/express-capture.js';
import { fastifyBodyCapture } from './raw-body/fastify-capture.js';
import { WebhookPathMatcher } from './raw-body/path-matcher.js';
import { HotglueWebhookSetupError } from './webhook.errors.js';
import type { ResolvedWebhookOptions } from './webhook-options.js';
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
 */
@Injectable()
export class HotglueWebhookBodyCapture implements OnModuleInit {
  private problem: HotglueWebhookSetupError | undefined;

  constructor(
    @Inject(HttpAdapterHost) host: HttpAdapterHost,
    @Inject(ApplicationConfig) config: ApplicationConfig,
    @Inject(HOTGLUE_WEBHOOK_OPTIONS) options: ResolvedWebhookOptions,
    @Inject(HOTGLUE_WEBHOOK_PATH) path: string,
  ) {
    const matcher = new WebhookPathMatcher(path, () => config.getGlobalPrefix());
    host.init$.subscribe(() => {
      const adapter = host.httpAdapter as unknown as AdapterLike | undefined;
      if (!adapter) return;
      this.install(adapter, matcher, options.maxBodyBytes);
    });
  }

  /** Fails the boot with a typed error when the adapter is neither Express nor Fastify. */
  onModuleInit(): void {
    if (this.problem) throw this.problem;
  }

  private install(adapter: AdapterLike, matcher: WebhookPathMatcher, maxBytes: number): void {
    const type = adapter.getType?.();
    const instance = adapter.getInstance();
    if (type === 'express' && typeof instance.use === 'function') {
      instance.use(expressBodyCapture(matcher, maxBytes));
    } else if (type === 'fastify' && typeof instance.addHook === 'function') {
      instance.addHook('preParsing', fastifyBodyCapture(matcher, maxBytes));
    } else {
      this.problem = new HotglueWebhookSetupError(
        'unsupported-adapter',
        `the HTTP adapter "${String(type)}" is not supported: use @nestjs/platform-express or @nestjs/platform-fastify.`,
      );
    }
  }
}
