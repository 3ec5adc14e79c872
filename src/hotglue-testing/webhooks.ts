import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type {
  EmulatorWebhookSettings,
  EmulatorWebhookSubscription,
  EmulatorWebhookTarget,
  JsonObject,
} from './emulator-options.js';
import { type JobRecord, jobView, type LinkChange, type LinkKind, progressOf } from './emulator-store.js';
import { jobProgress } from './job-lifecycle.js';

/** How often (real time) the notifier looks for jobs whose clock-derived status changed. */
const POLL_MS = 50;
/** A webhook receiver that does not answer within this is given up on. */
const DELIVERY_TIMEOUT_MS = 5_000;
/** Every subscription: what a webhook URL gets unless `subscriptions` narrows it (as hotglue's settings do). */
const ALL_SUBSCRIPTIONS: readonly EmulatorWebhookSubscription[] = ['job', 'discover', 'connection'];
/** `jobs`, the older name of `job`, is the same subscription. */
const canonical = (name: EmulatorWebhookSubscription): EmulatorWebhookSubscription =>
  name === 'jobs' ? 'job' : name;
/** Connection event names per link kind and change (hotglue does not document the body). */
const LINK_EVENT = {
  source: 'LINKED_SOURCE',
  target: 'LINKED_TARGET',
  connector: 'LINKED_CONNECTOR',
} as const;
const LINK_ID_FIELD = { source: 'tap', target: 'target', connector: 'connector_id' } as const;

/** `X-Hub-Signature`: hex HMAC-SHA1 of the exact body bytes with the webhook secret (see docs/hotglue-reference.md). */
export function webhookSignature(secret: string, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}

/** A fault played on the next webhook delivery (`HotglueEmulator.injectWebhookFault`). */
export type EmulatorWebhookFault =
  /** The delivery is sent twice at once (a retry racing the original). */
  | 'duplicate'
  /** The delivery is held back and sent after the next one (e.g. `SYNC_STARTED` after `SYNC_SUCCESS`). */
  | 'out-of-order'
  /** The delivery is signed with a wrong secret (a forged or misconfigured sender). */
  | 'bad-signature';

/** One webhook POST the emulator made, and the receiver's answer. */
export interface EmulatorWebhookDelivery {
  readonly subscription: EmulatorWebhookSubscription;
  /** The JSON body as sent. */
  readonly body: JsonObject;
  /** `valid` (signed with the secret), `invalid` (a `bad-signature` fault) or `none` (no secret). */
  readonly signature: 'valid' | 'invalid' | 'none';
  readonly fault?: EmulatorWebhookFault;
  /** The URL it was sent to (its subscription's, when each subscription has its own). */
  readonly url: string;
  /** The receiver's status code; 0 while in flight or when the request failed (see `error`). */
  status: number;
  /** The failure's error name when no answer came (connection refused, timeout...). */
  error?: string;
}

interface Queued {
  readonly subscription: EmulatorWebhookSubscription;
  readonly body: JsonObject;
  readonly label: string;
}

/**
 * Sends hotglue's three webhook subscriptions: job lifecycle (one POST per status change), discover (from
 * the job's discover stage) and connection (a link created, updated or removed). Job status is a function
 * of the clock, so changes are discovered by `sync()`: on a short timer while jobs are running, on job
 * creation and on `HotglueEmulator.advanceJobs()`. Deliveries are serialised on one promise chain so a
 * receiver sees them in order (unless a fault says otherwise); failures are logged (never with the URL or
 * secret) and dropped; each delivery is recorded with its answer.
 */
export class WebhookNotifier {
  /** Every delivery, oldest first. */
  readonly deliveries: EmulatorWebhookDelivery[] = [];
  private readonly active = new Set<JobRecord>();
  private readonly pendingDiscovers = new Set<DiscoverRun>();
  private readonly subscriptions: ReadonlySet<EmulatorWebhookSubscription>;
  private readonly faults: EmulatorWebhookFault[] = [];
  private held: { queued: Queued; fault: EmulatorWebhookFault } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly inflight = new Set<{ destroy(): void }>();
  /** Where each subscription goes and what signs it; a subscription without a target is not sent. */
  private readonly targets: ReadonlyMap<EmulatorWebhookSubscription, Target>;

  constructor(
    webhook: EmulatorWebhookSettings,
    private readonly envId: string,
    private readonly now: () => number,
    private readonly stepMs: number,
    private readonly log: (line: string) => void,
  ) {
    // Checked once, at start: a bad URL found at the first delivery would be a late, silent failure.
    this.targets = targetsOf(webhook);
    this.subscriptions = new Set(this.targets.keys());
  }

  /** Starts watching a new job and sends its `JOB_CREATED`. */
  track(record: JobRecord): void {
    this.active.add(record);
    this.sync();
  }

  /** Sends the connection event of a link change. */
  linkChanged(change: LinkChange): void {
    const event = `${LINK_EVENT[change.kind]}_${change.action.toUpperCase()}`;
    this.enqueue('connection', `webhook ${event}`, {
      event,
      env_id: this.envId,
      flow_id: change.flowId,
      tenant: change.tenantId,
      [LINK_ID_FIELD[change.kind]]: change.name,
      timestamp: new Date(this.now()).toISOString(),
    });
  }

  /**
   * A discover task started outside a job (`GET …/discover`): sends `DISCOVER_STARTED` now and
   * `DISCOVER_SUCCESS` once one job step of emulator clock has passed, when the poll route stops answering
   * `RUNNING` ("every time a discover task moves forward").
   */
  discoverStarted(discover: DiscoverRun): void {
    this.pendingDiscovers.add(discover);
    this.enqueue(
      'discover',
      `webhook DISCOVER_STARTED ${discover.kind}`,
      discoverBody(this.envId, discover, 'DISCOVER_STARTED', discover.at),
    );
    this.schedule();
  }

  /** Plays `fault` on the next `times` deliveries. */
  injectFault(fault: EmulatorWebhookFault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  /** Looks at every unfinished job and queues a POST for each status it reached since the last look. */
  sync(): void {
    if (this.closed) return;
    const now = this.now();
    for (const record of this.active) {
      const current = progressOf(record, now, this.stepMs);
      for (let step = record.notifiedStep + 1; step <= current.step; step++) {
        // The status at each intermediate step, so a clock jump of many steps still sends every one.
        const status = jobProgress(step * this.stepMs, this.stepMs, record.failure).status;
        const at = new Date(record.createdAt + step * this.stepMs).toISOString();
        const job: JsonObject = { ...jobView(record, now, this.stepMs), status, last_updated: at };
        this.enqueue('job', `webhook ${status} job ${String(job.job_id)}`, job);
        const discover = discoverEventOf(status, step, record);
        if (discover) {
          this.enqueue('discover', `webhook ${discover} job ${String(job.job_id)}`, {
            event: discover,
            env_id: this.envId,
            flow_id: record.flowId,
            tenant: record.tenantId,
            tap: record.job.tap ?? record.job.connector_id ?? null,
            job_id: record.job.job_id,
            timestamp: at,
          });
        }
      }
      record.notifiedStep = current.step;
      if (current.done) this.active.delete(record);
    }
    for (const discover of this.pendingDiscovers) {
      if (now - discover.at < this.stepMs) continue;
      this.pendingDiscovers.delete(discover);
      const at = discover.at + this.stepMs;
      this.enqueue(
        'discover',
        `webhook DISCOVER_SUCCESS ${discover.kind}`,
        discoverBody(this.envId, discover, 'DISCOVER_SUCCESS', at),
      );
    }
    this.schedule();
  }

  /** Resolves once every queued delivery has been attempted (a held `out-of-order` one included). */
  async flush(): Promise<void> {
    if (this.held) this.release();
    await this.chain;
  }

  /** Stops the timer and aborts deliveries in flight. */
  close(): void {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const req of this.inflight) req.destroy();
  }

  private schedule(): void {
    const watching = this.active.size + this.pendingDiscovers.size;
    if (watching > 0 && !this.timer && !this.closed) {
      this.timer = setInterval(() => this.sync(), POLL_MS);
      this.timer.unref();
    } else if (watching === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private enqueue(subscription: EmulatorWebhookSubscription, label: string, body: JsonObject): void {
    if (this.closed || !this.subscriptions.has(subscription)) return;
    const queued: Queued = { subscription, body, label };
    const fault = this.faults.shift();
    if (fault === 'out-of-order' && !this.held) {
      this.held = { queued, fault };
      return;
    }
    this.send(queued, fault);
    if (this.held) this.release();
  }

  private release(): void {
    const held = this.held!;
    this.held = undefined;
    this.send(held.queued, held.fault);
  }

  private send(queued: Queued, fault: EmulatorWebhookFault | undefined): void {
    const copies = fault === 'duplicate' ? 2 : 1;
    const raw = Buffer.from(JSON.stringify(queued.body));
    const target = this.targets.get(queued.subscription)!;
    const secret = target.secret;
    const signature: EmulatorWebhookDelivery['signature'] =
      secret === undefined ? 'none' : fault === 'bad-signature' ? 'invalid' : 'valid';
    const signingSecret = signature === 'invalid' ? randomBytes(16).toString('hex') : secret;
    this.chain = this.chain.then(() =>
      Promise.all(
        Array.from({ length: copies }, () => {
          const delivery: EmulatorWebhookDelivery = {
            subscription: queued.subscription,
            body: queued.body,
            signature,
            ...(fault ? { fault } : {}),
            url: target.url.href,
            status: 0,
          };
          this.deliveries.push(delivery);
          return this.deliver(target.url, raw, signingSecret).then(
            (status) => {
              delivery.status = status;
              this.log(`${queued.label} -> ${status}`);
            },
            (error: Error) => {
              delivery.error = error.name;
              this.log(`${queued.label} failed: ${error.name}`);
            },
          );
        }),
      ).then(() => undefined),
    );
  }

  // async: anything thrown while preparing a delivery becomes a rejection that `send` logs, so one bad
  // delivery can never break the chain that later deliveries wait on.
  private async deliver(url: URL, body: Buffer, secret: string | undefined): Promise<number> {
    if (this.closed) throw Object.assign(new Error('closed'), { name: 'EmulatorClosed' });
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': body.length,
      'user-agent': 'hotglue-emulator-webhook',
    };
    if (secret !== undefined) headers['x-hub-signature'] = webhookSignature(secret, body);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: 'POST', headers, timeout: DELIVERY_TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      this.inflight.add(req);
      req.on('close', () => this.inflight.delete(req));
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** A discover task started through the discover route (not a job's discover stage). */
export interface DiscoverRun {
  readonly kind: LinkKind;
  readonly flowId: string;
  readonly tenantId: string;
  /** The tap, target name or connector id. */
  readonly name: string;
  /** Emulator clock time it started. */
  readonly at: number;
}

function discoverBody(envId: string, run: DiscoverRun, event: string, at: number): JsonObject {
  return {
    event,
    env_id: envId,
    flow_id: run.flowId,
    tenant: run.tenantId,
    [LINK_ID_FIELD[run.kind]]: run.name,
    timestamp: new Date(at).toISOString(),
  };
}

interface Target {
  readonly url: URL;
  readonly secret: string | undefined;
}

function targetOf(target: EmulatorWebhookTarget, field: string): Target {
  let url: URL | undefined;
  try {
    url = new URL(target.url);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TypeError(`HotglueEmulator: ${field}.url must be an absolute http(s) URL.`);
  }
  if (target.secret !== undefined && typeof target.secret !== 'string') {
    throw new TypeError(`HotglueEmulator: ${field}.secret must be a string.`);
  }
  return { url, secret: target.secret };
}

/**
 * Each subscription's target. `{ url, secret, subscriptions? }` sends the listed subscriptions (default all)
 * to one URL with one secret, as the older dashboard did; `{ job?, discover?, connection? }` gives each its
 * own, as the current one does. Mixing both forms, or a key that is not a subscription, is refused.
 */
function targetsOf(webhook: EmulatorWebhookSettings): ReadonlyMap<EmulatorWebhookSubscription, Target> {
  const targets = new Map<EmulatorWebhookSubscription, Target>();
  if ('url' in webhook) {
    const { url: _url, secret: _secret, subscriptions, ...rest } = webhook;
    if (Object.keys(rest).length > 0) {
      throw new TypeError(
        'HotglueEmulator: webhook is either { url, secret, subscriptions } or { job, discover, connection }, not both.',
      );
    }
    const shared = targetOf(webhook, 'webhook');
    for (const subscription of subscriptions ?? ALL_SUBSCRIPTIONS)
      targets.set(canonical(subscription), shared);
    return targets;
  }
  for (const [key, target] of Object.entries(webhook)) {
    if (![...ALL_SUBSCRIPTIONS, 'jobs'].includes(key as EmulatorWebhookSubscription)) {
      throw new TypeError(
        'HotglueEmulator: webhook keys are job, discover and connection (or give { url, secret } for all).',
      );
    }
    if (target !== undefined) {
      targets.set(canonical(key as EmulatorWebhookSubscription), targetOf(target, `webhook.${key}`));
    }
  }
  return targets;
}

/** The discover event a job status implies: its discover stage starting, passing (next stage) or failing. */
function discoverEventOf(status: string, step: number, record: JobRecord): string | undefined {
  if (status === 'DISCOVER_STARTED' || status === 'DISCOVER_FAILED') return status;
  // Step 2 is the first status after DISCOVER_STARTED (step 1) on the happy path.
  if (step === 2 && record.failure !== 'DISCOVER_FAILED') return 'DISCOVER_SUCCESS';
  return undefined;
}
