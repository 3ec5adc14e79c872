import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
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
 * Finds every `@OnHotglueEvent` method among the app's providers and controllers once, at module init
 * (Nest's `DiscoveryService`), and runs the matching ones for each event. Request-scoped providers are
 * skipped: a webhook has no request scope of the host's to build them in.
 */
@Injectable()
export class HotglueWebhookHandlers implements OnModuleInit {
  private readonly logger = new Logger('HotglueWebhooks');
  private handlers: RegisteredHandler[] = [];

  constructor(
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
    @Inject(MetadataScanner) private readonly scanner: MetadataScanner,
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
        for (const meta of metas ?? []) {
          found.push({
            name: `${instance.constructor.name}.${methodName}`,
            meta,
            call: (event, delivery) =>
              (method as (...args: unknown[]) => unknown).call(instance, event, delivery),
          });
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
