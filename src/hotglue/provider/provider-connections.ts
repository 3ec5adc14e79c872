import { LRUCache } from 'lru-cache';

/** What `onProviderConnectionChange` receives: one event per change of a tenant's connection state. */
export interface HotglueProviderConnectionEvent {
  /**
   * `revoked`: the provider refused the tenant's token also after fresh credentials (or hotglue reports the
   * grant revoked): show "please reconnect". `recovered`: a call succeeded again after `revoked`.
   */
  readonly state: 'revoked' | 'recovered';
  /** The registry id (tap or connector id). */
  readonly provider: string;
  readonly kind: 'source' | 'connector';
  readonly tenantId: string;
  readonly flowId: string;
}

/** The module hook (option `onProviderConnectionChange`). Its exceptions are ignored. */
export type HotglueProviderConnectionHook = (event: HotglueProviderConnectionEvent) => void;

interface ConnectionKey {
  readonly tenantId: string;
  readonly entity: string;
  readonly kind: 'source' | 'connector';
  readonly flowId: string;
}

interface Refresh<C> {
  readonly from: string;
  readonly promise: Promise<C>;
}

function keyOf(target: ConnectionKey): string {
  const { kind, flowId, tenantId, entity } = target;
  return `${kind}:${flowId.length}:${flowId}${tenantId.length}:${tenantId}${entity}`;
}

/**
 * Per environment: which tenants' provider connections are known revoked (to call the hook once per change,
 * not per request), and the credential refreshes started after a 401, keyed by the token that failed, so
 * that N calls that saw the same token refused share one fetch. Both bounded (LRU).
 */
export class ProviderConnections {
  private readonly revokedKeys: LRUCache<string, true>;
  private readonly refreshes: LRUCache<string, Refresh<unknown>>;

  constructor(
    size: number,
    private readonly hook?: HotglueProviderConnectionHook,
  ) {
    this.revokedKeys = new LRUCache({ max: size });
    this.refreshes = new LRUCache({ max: size });
  }

  /**
   * Fresh credentials after `failedToken` was refused: joins the refresh already started from that token,
   * else starts `load`. A later 401 with the new token starts a new refresh; a failed one is forgotten.
   */
  refresh<C>(target: ConnectionKey, failedToken: string, load: () => Promise<C>): Promise<C> {
    const key = keyOf(target);
    const last = this.refreshes.get(key) as Refresh<C> | undefined;
    if (last && last.from === failedToken) return last.promise;
    const promise = load();
    const entry: Refresh<C> = { from: failedToken, promise };
    this.refreshes.set(key, entry);
    promise.catch(() => {
      if (this.refreshes.get(key) === entry) this.refreshes.delete(key);
    });
    return promise;
  }

  /** The provider refused the tenant for good: hook once, unless already known revoked. */
  revoked(target: ConnectionKey, provider: string): void {
    const key = keyOf(target);
    if (this.revokedKeys.has(key)) return;
    this.revokedKeys.set(key, true);
    this.emit(target, provider, 'revoked');
  }

  /** A call succeeded: hook `recovered` when the tenant was known revoked. Cheap when it was not. */
  ok(target: ConnectionKey, provider: string): void {
    if (this.revokedKeys.size === 0) return;
    const key = keyOf(target);
    if (!this.revokedKeys.delete(key)) return;
    this.emit(target, provider, 'recovered');
  }

  private emit(target: ConnectionKey, provider: string, state: 'revoked' | 'recovered'): void {
    if (!this.hook) return;
    try {
      this.hook(
        Object.freeze({
          state,
          provider,
          kind: target.kind,
          tenantId: target.tenantId,
          flowId: target.flowId,
        }),
      );
    } catch {
      // A host's hook must not turn a provider answer into a failure.
    }
  }
}
