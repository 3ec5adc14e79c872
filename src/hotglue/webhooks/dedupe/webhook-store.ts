import { HotglueError } from '../../hotglue.errors.js';

/** What `claim` found. */
export type HotglueClaimResult =
  /** The caller holds the delivery for `leaseMs` and runs its handlers. */
  | 'claimed'
  /** The delivery was processed already: acknowledge it, run nothing. */
  | 'done'
  /** Another request (on this or another instance) holds it right now: wait and claim again. */
  | 'busy';

/**
 * Where deliveries are marked in progress and done. A delivery is marked done only after every handler
 * succeeded; a failure releases it, so hotglue's redelivery (or a concurrent duplicate that waited) runs it.
 * While handlers run, the receiver renews the claim every `leaseMs / 3`, so a handler slower than the lease
 * keeps it and a duplicate never runs the handlers beside it; a claim whose owner died is no longer renewed
 * and expires after `leaseMs`. Implementations must make `claim` atomic across every instance that shares
 * the store, and `renew`, `complete` and `release` fenced by `owner` (a stale owner cannot take, extend or
 * drop a claim another request holds). All four are required: a store without `renew` fails the boot with
 * a `HotglueConfigError` naming `webhooks.store`.
 */
export interface HotglueWebhookStore {
  /** Takes `key` for `owner` for `leaseMs` unless it is done or held by someone else. */
  claim(key: string, owner: string, leaseMs: number): Promise<HotglueClaimResult>;
  /** Marks `key` done for `ttlMs` (a repeat within it is acknowledged and skipped). */
  complete(key: string, owner: string, ttlMs: number): Promise<void>;
  /** Drops `owner`'s claim on `key` (its handlers failed). */
  release(key: string, owner: string): Promise<void>;
  /**
   * Extends `owner`'s claim on `key` to `leaseMs` from now, atomically and only when `owner` still holds it.
   * Resolves `true` when extended, `false` when the claim is gone (expired, taken by another owner, or
   * done): the receiver then stops renewing and does not mark the delivery done. Rejects when the store
   * cannot be reached (the receiver tries again at the next renewal).
   */
  renew(key: string, owner: string, leaseMs: number): Promise<boolean>;
}

/**
 * The store could not be reached or answered out of time; the delivery is refused with 503, nothing is lost.
 * The `cause` is the client's error (its message names a host and port, never a password).
 */
export class HotglueWebhookStoreUnavailableError extends HotglueError {
  readonly code = 'HOTGLUE_WEBHOOK_STORE_UNAVAILABLE';

  constructor(
    /** `claim`, `complete`, `release` or `renew`. */
    readonly operation: string,
    options?: { cause?: unknown },
  ) {
    super(
      `webhooks.store: the dedupe store did not answer ${operation}; the delivery is refused (503) for hotglue ` +
        'to retry. Check that Redis runs and is reachable from this instance.',
      options,
    );
  }
}
