import type { HotglueClient } from './client/hotglue-client.js';
import { OnHotglueEvent } from './webhooks/on-hotglue-event.decorator.js';
import type { HotglueConnectionEvent, HotglueDelivery } from './webhooks/webhook-events.js';

/**
 * Drops a tenant's cached credentials for an entity as soon as hotglue reports that the link changed (a
 * reconnect, new credentials, an unlink). Built by each environment's providers (`hotglue.providers.ts`)
 * with that environment's client; it only ever runs when the app also imports `HotglueWebhooksModule`,
 * whose handler discovery finds it like any `@OnHotglueEvent` method.
 */
export class HotglueCredentialsEviction {
  constructor(
    private readonly client: HotglueClient,
    /** This client's environment name; undefined for the unnamed one. */
    private readonly environment?: string,
  ) {}

  @OnHotglueEvent('connection')
  evict(event: HotglueConnectionEvent, delivery?: HotglueDelivery): void {
    // A route bound to another environment reports another environment's links.
    if (delivery?.environment !== undefined && delivery.environment !== this.environment) return;
    this.client.evictCredentials(event.tenantId, event.entityId);
  }
}
