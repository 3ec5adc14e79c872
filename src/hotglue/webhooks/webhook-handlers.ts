import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { ExternalContextCreator } from '@nestjs/core/helpers/external-context-creator.js';
import { logText } from './log-text.js';
import {
  eventMatches,
  HOTGLUE_EVENT_HANDLER,
  type HotglueEventHandlerMetadata,
} from './on-hotglue-event.decorator.js';
import type { HotglueDelivery, HotglueWebhookEvent } from './webhook-events.js';

interface RegisteredHandler {
  readonly name: string;
  readonly meta: HotglueEventHandlerMetadata;
  readonly call: (event: HotglueWebhookEvent, delivery: HotglueDelivery) => unknown;
}

/**
 * The execution context type handlers run in (`context.getType()` in an interceptor), inline and in a
 * queue worker alike: an interceptor that reads an HTTP request can skip this type.
 */
export const HOTGLUE_WEBHOOK_CONTEXT_TYPE = 'hotglue-webhook';

/**
 * Finds every `@OnHotglueEvent` method among the app's providers and controllers once, at module init
 * (Nest's `DiscoveryService`), and runs the matching ones for each event. Request-scoped providers are
 * skipped: a webhook has no request scope of the host's to build them in.
 *
 * Each handler is invoked through Nest's `ExternalContextCreator`, as Nest's own microservice and event
 * handlers are: the host's global, class and method interceptors wrap it (a CLS context, tracing, logging)
 * and its exception reaches the caller unchanged. Guards are off (hotglue's signature is the auth; a host's
 * user guard would refuse a context with no user) and so are exception filters (they answer HTTP requests;
 * here the error must reach the receiver or the queue, which retries).
 */
@Injectable()
export class HotglueWebhookHandlers implements OnModuleInit {
  private readonly logger = new Logger('HotglueWebhooks');
  private handlers: RegisteredHandler[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
    @Inject(ExternalContextCreator) private readonly contexts: ExternalContextCreator,
  ) {}

  onModuleInit(): void {
    const found: RegisteredHandler[] = [];
    const seen = new Set<object>();
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (
        !instance ||
        typeof instance !== 'object' ||
        !wrapper.isDependencyTreeStatic() ||
        seen.has(instance)
      )
        continue;
      seen.add(instance);
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[methodName];
        if (typeof method !== 'function') continue;
        const metas = Reflect.getMetadata(HOTGLUE_EVENT_HANDLER, method) as
          | HotglueEventHandlerMetadata[]
          | undefined;
        if (!metas || metas.length === 0) continue;
        const call = this.contexts.create(
          instance,
          method as (...args: unknown[]) => unknown,
          methodName,
          undefined,
          undefined,
          undefined,
          undefined,
          { guards: false, interceptors: true, filters: false },
          HOTGLUE_WEBHOOK_CONTEXT_TYPE,
        );
        for (const meta of metas) {
          found.push({ name: `${instance.constructor.name}.${methodName}`, meta, call });
        }
      }
    }
    this.handlers = found;
  }

  /** Names of the registered handlers, e.g. `JobsListener.landed` (for logs and tests). */
  get names(): string[] {
    return this.handlers.map((handler) => handler.name);
  }

  /** Runs every matching handler concurrently; rejects with the first failure once all have settled. */
  readonly dispatch = async (event: HotglueWebhookEvent, delivery: HotglueDelivery): Promise<void> => {
    const matching = this.handlers.filter((handler) => eventMatches(handler.meta, event));
    const results = await Promise.allSettled(matching.map(async (handler) => handler.call(event, delivery)));
    let failure: { error: unknown } | undefined;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      failure ??= { error: result.reason };
      const name = result.reason instanceof Error ? result.reason.name : typeof result.reason;
      // The error's name only: a host's message may quote anything, secrets included.
      this.logger.error(
        `handler ${matching[i]!.name} failed for ${event.kind} delivery ${logText(delivery.id)}: ${logText(name)}`,
      );
    });
    if (failure) throw failure.error;
  };
}
