import type { HotglueDelivery, HotglueWebhookEvent } from '../../hotglue/index.js';

/**
 * One processed event as `GET /hotglue/events` lists it. Built from a whitelist of fields: no entry ever
 * carries a linked entity's `config` (the tenant's credentials) or any other field of the raw body.
 */
export interface SampleEvent {
  /** The delivery id: equal on every instance for the same event. */
  readonly id: string;
  readonly kind: HotglueWebhookEvent['kind'];
  readonly tenantId: string | null;
  readonly receivedAt: string;
  readonly flowId?: string;
  /** Job events. */
  readonly jobId?: string;
  /** Job status, or the discover event (`DISCOVER_SUCCESS`, ...). */
  readonly status?: string;
  /** Connection events. */
  readonly action?: string;
  readonly entity?: string;
  readonly entityId?: string;
}

const tenantOfUnknown = (raw: Readonly<Record<string, unknown>>): string | null =>
  typeof raw.tenant === 'string' ? raw.tenant : typeof raw.tenant_id === 'string' ? raw.tenant_id : null;

/** Pure: the list entry of an event. */
export function toSampleEvent(event: HotglueWebhookEvent, delivery: HotglueDelivery): SampleEvent {
  const base = { id: delivery.id, kind: event.kind, receivedAt: delivery.receivedAt.toISOString() };
  switch (event.kind) {
    case 'job':
      return {
        ...base,
        tenantId: event.tenantId,
        flowId: event.flowId,
        jobId: event.jobId,
        status: event.status,
      };
    case 'discover':
      return {
        ...base,
        tenantId: event.tenantId ?? null,
        ...(event.flowId ? { flowId: event.flowId } : {}),
        status: event.status,
        ...(event.entityId ? { entityId: event.entityId } : {}),
      };
    case 'connection':
      return {
        ...base,
        tenantId: event.tenantId,
        flowId: event.flowId,
        action: event.action,
        entity: event.entity,
        entityId: event.entityId,
      };
    default:
      return { ...base, tenantId: tenantOfUnknown(event.raw) };
  }
}
