import { randomBytes } from 'node:crypto';
import type { HotglueWebhookStore } from './dedupe/webhook-store.js';
import { deliveryKey } from './delivery-key.js';
import { parseJsonBody } from './parse-json-body.js';
import { parseHotglueEvent } from './parse-webhook-event.js';
import type { CapturedBody } from './raw-body/read-webhook-body.js';
import type { HotglueDelivery, HotglueWebhookEvent } from './webhook-events.js';
import type { ValidatedWebhookOptions } from './webhook-options.js';
import { verifyHotglueSignature } from './webhook-signature.js';

/** Unique per process (several instances share a store): claims are owned by `${PROCESS_ID}:${counter}`. */
const PROCESS_ID = randomBytes(9).toString('base64url');
let claims = 0;

/** How long a duplicate sleeps between two looks at a delivery another request holds. */
const BUSY_POLL_MS = 25;

/** Why a delivery was answered as it was. 2xx outcomes are acknowledged; the others are refused. */
export type HotglueWebhookResult =
  /** Verified, new, every handler succeeded; marked done. */
  | {
      readonly status: 200;
      readonly outcome: 'processed';
      readonly id: string;
      readonly event: HotglueWebhookEvent;
    }
  /** Queue mode: verified and stored in the queue (Redis acknowledged the add); a worker runs it. */
  | { readonly status: 200; readonly outcome: 'queued'; readonly id: string }
  /** Verified, already processed (here or on another instance): acknowledged, nothing ran. */
  | { readonly status: 200; readonly outcome: 'duplicate'; readonly id: string }
  /** Verified, older than the replay window by its own timestamp: acknowledged, nothing ran. */
  | { readonly status: 200; readonly outcome: 'stale'; readonly id: string }
  | { readonly status: 400; readonly outcome: 'not-json' | 'aborted' }
  | { readonly status: 401; readonly outcome: 'no-secret' | 'bad-signature' }
  /** The raw body was not captured (see docs/webhooks.md); nothing ran. */
  | { readonly status: 500; readonly outcome: 'not-captured' }
  /** A handler threw; the delivery is released so a redelivery runs it. */
  | { readonly status: 500; readonly outcome: 'handler-failed'; readonly id: string; readonly error: unknown }
  /** The store was unreachable, or a duplicate still held the delivery after the lease: retry later. */
  | { readonly status: 503; readonly outcome: 'store-unavailable' | 'busy'; readonly id?: string }
  /**
   * The handlers ran, but a renewal found the claim gone (expired or taken over): not marked done by a
   * stale owner; 503 so hotglue delivers it again (the redelivery is acknowledged if the new owner marked it).
   */
  | { readonly status: 503; readonly outcome: 'lease-lost'; readonly id: string }
  /** Queue mode: Redis did not acknowledge the add in time; not acknowledged, deliver it again. */
  | { readonly status: 503; readonly outcome: 'queue-unavailable'; readonly id: string };

/**
 * Queue mode's hand-off: takes a verified, parsed delivery inside the replay window instead of the inline
 * claim-and-dispatch (and answers `queued` or `queue-unavailable`).
 */
export type HotglueWebhookHandoff = (
  event: HotglueWebhookEvent,
  id: string,
  receivedAt: Date,
  /** The verified body, decoded once (as it was parsed). */
  text: string,
) => Promise<HotglueWebhookResult>;

/** Runs every handler of an event; rejects when any of them failed (after all of them ran). */
export type HotglueEventDispatch = (event: HotglueWebhookEvent, delivery: HotglueDelivery) => Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A claim kept alive while its handlers run. */
interface LeaseKeeper {
  /** Stops renewing; `true` when a renewal found the claim gone. */
  stop(): boolean;
}

/**
 * Renews `owner`'s claim every `leaseMs / 3` on an unref'd timer (never keeps the process alive), one
 * renewal at a time. A renewal that reports the claim gone stops the timer; one that fails (store down) is
 * tried again at the next tick, while the lease still has two thirds to run.
 *
 * The claim counts as held only up to `leaseMs` after the last confirmation was *sent* (the claim, or a
 * renewal the store answered `true`), on the monotonic clock: when the store stalls or fails longer than
 * that, the lease may have run out in the store and a redelivery may be running the handlers elsewhere, so
 * `stop()` reports the claim lost even though no renewal said so. The handlers' result is then not marked
 * done (503 `lease-lost`): a duplicate run beside a live first one is possible only after a store stall
 * longer than `leaseMs`, and then the first run's result is never recorded as the one that counts.
 */
function keepLease(
  store: HotglueWebhookStore,
  key: string,
  owner: string,
  leaseMs: number,
  claimSentAt: number,
): LeaseKeeper {
  let confirmedAt = claimSentAt;
  let lost = false;
  let stopped = false;
  let renewing = false;
  const timer = setInterval(
    () => {
      if (renewing || stopped) return;
      renewing = true;
      const sentAt = performance.now();
      // Through a promise: a custom store that throws synchronously must not throw inside a timer.
      Promise.resolve()
        .then(() => store.renew(key, owner, leaseMs))
        .then(
          (held) => {
            renewing = false;
            if (held) confirmedAt = Math.max(confirmedAt, sentAt);
            else if (!stopped) {
              lost = true;
              clearInterval(timer);
            }
          },
          () => {
            renewing = false;
          },
        );
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
      return lost || performance.now() - confirmedAt >= leaseMs;
    },
  };
}

/**
 * The receiver's logic without Nest or HTTP: captured bytes and the signature header in, an outcome out.
 * Order matters and is the security contract: size (enforced by the capture, which answers an oversized
 * body itself), then signature, then JSON, then replay window, then dedupe. Nothing refused reaches a handler.
 */
export class HotglueWebhookProcessor {
  constructor(
    private readonly options: ValidatedWebhookOptions,
    private readonly dispatch: HotglueEventDispatch,
    private readonly handoff?: HotglueWebhookHandoff,
  ) {}

  async receive(
    captured: CapturedBody | undefined,
    signature: string | string[] | undefined,
  ): Promise<HotglueWebhookResult> {
    if (!captured || captured.kind === 'consumed') return { status: 500, outcome: 'not-captured' };
    if (captured.kind === 'aborted') return { status: 400, outcome: 'aborted' };
    const secret = this.options.secret;
    if (secret === undefined) return { status: 401, outcome: 'no-secret' };
    if (!verifyHotglueSignature(secret, captured.body, signature))
      return { status: 401, outcome: 'bad-signature' };

    const text = captured.body.toString('utf8');
    let body: unknown;
    try {
      body = parseJsonBody(text);
    } catch {
      return { status: 400, outcome: 'not-json' };
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return { status: 400, outcome: 'not-json' };

    const event = parseHotglueEvent(body as Record<string, unknown>);
    const id = deliveryKey(event, captured.body);
    const now = this.options.now();
    if (event.occurredAt && event.occurredAt.getTime() < now - this.options.replayWindowMs) {
      return { status: 200, outcome: 'stale', id };
    }
    if (this.handoff) return this.handoff(event, id, new Date(now), text);
    return this.once(event, id, new Date(now));
  }

  /** Claims the delivery (waiting out a concurrent duplicate), runs the handlers, marks it done. */
  private async once(
    event: HotglueWebhookEvent,
    id: string,
    receivedAt: Date,
  ): Promise<HotglueWebhookResult> {
    const { store, leaseMs, dedupeTtlMs } = this.options;
    const owner = `${PROCESS_ID}:${++claims}`;
    const deadline = this.options.now() + leaseMs;
    let claim: Awaited<ReturnType<HotglueWebhookStore['claim']>>;
    let claimSentAt = performance.now();
    try {
      claim = await store.claim(id, owner, leaseMs);
      // A duplicate waits for the first: it ends `done` (acknowledge) or released (then it runs it itself).
      while (claim === 'busy') {
        if (this.options.now() >= deadline) return { status: 503, outcome: 'busy', id };
        await sleep(BUSY_POLL_MS);
        claimSentAt = performance.now();
        claim = await store.claim(id, owner, leaseMs);
      }
    } catch {
      return { status: 503, outcome: 'store-unavailable', id };
    }
    if (claim === 'done') return { status: 200, outcome: 'duplicate', id };

    const lease = keepLease(store, id, owner, leaseMs, claimSentAt);
    try {
      const environment = this.options.environment;
      await this.dispatch(event, { id, receivedAt, ...(environment === undefined ? {} : { environment }) });
    } catch (error) {
      lease.stop();
      // Best effort: if the store is down too, the lease expires by itself and a redelivery runs it.
      await store.release(id, owner).catch(() => undefined);
      return { status: 500, outcome: 'handler-failed', id, error };
    }
    // Someone may hold the delivery now: marking it done from here could cut their run short.
    if (lease.stop()) return { status: 503, outcome: 'lease-lost', id };
    try {
      await store.complete(id, owner, dedupeTtlMs);
    } catch {
      // Handlers ran but "done" was not recorded: 503 makes hotglue deliver again, and the handlers run
      // again (at least once). Answering 2xx here could lose nothing either, but would hide the outage.
      return { status: 503, outcome: 'store-unavailable', id };
    }
    return { status: 200, outcome: 'processed', id, event };
  }
}
