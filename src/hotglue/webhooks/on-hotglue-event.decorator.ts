import type {
  HotglueDelivery,
  HotglueEventKind,
  HotglueEventOf,
  HotglueWebhookEvent,
} from './webhook-events.js';

/** Metadata key of `@OnHotglueEvent` (an array: a method may carry several). */
export const HOTGLUE_EVENT_HANDLER = Symbol.for('nestjs-hotglue.on-event');

/** `kind` plus `'*'` for every event. */
export type HotglueEventSelector = HotglueEventKind | '*';

/** The event a handler of `K` receives: that kind's event, or any event for `'*'`. */
export type EventFor<K extends HotglueEventSelector> = K extends HotglueEventKind
  ? HotglueEventOf<K>
  : HotglueWebhookEvent;

/**
 * Narrows which events of the kind reach the handler: a predicate, or an object whose every field must
 * equal the event's (an array value means "any of these"), e.g. `{ status: ['JOB_COMPLETED', 'SYNC_FAILED'] }`.
 */
export type HotglueEventFilter<E> =
  | ((event: E) => boolean)
  | { readonly [P in keyof E]?: E[P] | readonly E[P][] };

/** One registration read back by the explorer. */
export interface HotglueEventHandlerMetadata {
  readonly kind: HotglueEventSelector;
  readonly filter?: HotglueEventFilter<HotglueWebhookEvent>;
}

/**
 * Marks a provider method as a handler of verified, deduplicated hotglue events. Several handlers per
 * event are allowed (they run concurrently; if any throws, the delivery is not marked done: inline it answers
 * 500 and a redelivery runs every handler again; in queue mode the queue retries it, every handler again:
 * make them idempotent). Host interceptors wrap each call (`HOTGLUE_WEBHOOK_CONTEXT_TYPE`).
 *
 * ```ts
 * @Injectable()
 * class Jobs {
 *   @OnHotglueEvent('job', { status: 'JOB_COMPLETED' })
 *   async landed(event: HotglueJobEvent, delivery: HotglueDelivery) { ... }
 * }
 * ```
 */
export function OnHotglueEvent<K extends HotglueEventSelector>(
  kind: K,
  filter?: HotglueEventFilter<EventFor<K>>,
): MethodDecorator {
  return (_target, _key, descriptor) => {
    const method = descriptor.value as object;
    const existing =
      (Reflect.getMetadata(HOTGLUE_EVENT_HANDLER, method) as HotglueEventHandlerMetadata[]) ?? [];
    const entry: HotglueEventHandlerMetadata =
      filter === undefined ? { kind } : { kind, filter: filter as never };
    Reflect.defineMetadata(HOTGLUE_EVENT_HANDLER, [...existing, entry], method);
    return descriptor;
  };
}

/** Pure: whether `event` passes a handler's kind and filter. */
export function eventMatches(meta: HotglueEventHandlerMetadata, event: HotglueWebhookEvent): boolean {
  if (meta.kind !== '*' && meta.kind !== event.kind) return false;
  const filter = meta.filter;
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(event);
  const fields = event as unknown as Record<string, unknown>;
  return Object.entries(filter).every(([key, expected]) =>
    Array.isArray(expected) ? expected.includes(fields[key]) : fields[key] === expected,
  );
}

/** The signature a decorated method should have. */
export type HotglueEventHandler<K extends HotglueEventSelector> = (
  event: EventFor<K>,
  delivery: HotglueDelivery,
) => unknown;
