import type { HotglueRedisClient } from '../../hotglue/index.js';
import type { SampleEvent } from './sample-event.js';

/** Where the sample keeps processed events for `GET /hotglue/events`. */
export interface SampleEventLog {
  add(event: SampleEvent): Promise<void>;
  /** The tenant's events, newest first. */
  list(tenantId: string): Promise<SampleEvent[]>;
}

/** Injection token of the `SampleEventLog`. */
export const SAMPLE_EVENT_LOG = Symbol('SAMPLE_EVENT_LOG');
/** Entries kept per tenant. */
export const EVENTS_PER_TENANT = 200;

/** One instance: per-tenant arrays, newest first, capped; tenants beyond 10,000 evict the oldest one. */
export class MemoryEventLog implements SampleEventLog {
  private readonly byTenant = new Map<string, SampleEvent[]>();

  async add(event: SampleEvent): Promise<void> {
    if (event.tenantId === null) return; // no tenant can ever list it
    const list = this.byTenant.get(event.tenantId) ?? [];
    this.byTenant.delete(event.tenantId);
    list.unshift(event);
    if (list.length > EVENTS_PER_TENANT) list.length = EVENTS_PER_TENANT;
    this.byTenant.set(event.tenantId, list);
    if (this.byTenant.size > 10_000) this.byTenant.delete(this.byTenant.keys().next().value as string);
  }

  async list(tenantId: string): Promise<SampleEvent[]> {
    return [...(this.byTenant.get(tenantId) ?? [])];
  }
}

const ADD = `
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;
const LIST = `return redis.call('LRANGE', KEYS[1], 0, -1)`;

/** Shared by every instance: one capped Redis list per tenant, expiring a week after its last event. */
export class RedisEventLog implements SampleEventLog {
  constructor(
    private readonly client: HotglueRedisClient,
    private readonly prefix = 'sample:events:',
  ) {}

  async add(event: SampleEvent): Promise<void> {
    if (event.tenantId === null) return;
    await this.client.eval(
      ADD,
      1,
      this.key(event.tenantId),
      JSON.stringify(event),
      EVENTS_PER_TENANT,
      7 * 86_400_000,
    );
  }

  async list(tenantId: string): Promise<SampleEvent[]> {
    const items = (await this.client.eval(LIST, 1, this.key(tenantId))) as string[];
    return items.map((item) => JSON.parse(item) as SampleEvent);
  }

  private key(tenantId: string): string {
    // JSON keeps any tenant id (`:`, braces...) from colliding with another's key.
    return `${this.prefix}${JSON.stringify(tenantId)}`;
  }
}
