import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EmulatorWebhookOptions } from './emulator-options.js';
import { type JobRecord, jobView, progressOf } from './emulator-store.js';
import { jobProgress } from './job-lifecycle.js';

/** How often (real time) the notifier looks for jobs whose clock-derived status changed. */
const POLL_MS = 50;
/** A webhook receiver that does not answer within this is given up on. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** `X-Hub-Signature`: hex HMAC-SHA1 of the exact body bytes with the webhook secret (hotglue-api.md §6). */
export function webhookSignature(secret: string, body: Buffer | string): string {
  return createHmac('sha1', secret).update(body).digest('hex');
}

/**
 * Sends one POST per job status change, in order per emulator. Job status is a function of the clock, so
 * changes are discovered by `sync()`: on a short timer while jobs are running, on job creation and on
 * `HotglueEmulator.advanceJobs()`. Deliveries are serialised on one promise chain so a receiver sees each
 * job's statuses in lifecycle order; failures are logged (never with the URL or secret) and dropped.
 */
export class JobWebhookNotifier {
  private readonly active = new Set<JobRecord>();
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly inflight = new Set<{ destroy(): void }>();
  private readonly url: URL;

  constructor(
    private readonly webhook: EmulatorWebhookOptions,
    private readonly now: () => number,
    private readonly stepMs: number,
    private readonly log: (line: string) => void,
  ) {
    // Checked once, at start: a bad URL found at the first delivery would be a late, silent failure.
    let url: URL | undefined;
    try {
      url = new URL(webhook.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError('HotglueEmulator: webhook.url must be an absolute http(s) URL.');
    }
    this.url = url;
  }

  /** Starts watching a new job and sends its `JOB_CREATED`. */
  track(record: JobRecord): void {
    this.active.add(record);
    this.sync();
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
        const job = {
          ...jobView(record, now, this.stepMs),
          status,
          last_updated: new Date(record.createdAt + step * this.stepMs).toISOString(),
        };
        this.enqueue(job);
      }
      record.notifiedStep = current.step;
      if (current.done) this.active.delete(record);
    }
    this.schedule();
  }

  /** Resolves once every queued delivery has been attempted. */
  async flush(): Promise<void> {
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
    if (this.active.size > 0 && !this.timer && !this.closed) {
      this.timer = setInterval(() => this.sync(), POLL_MS);
      this.timer.unref();
    } else if (this.active.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private enqueue(job: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify(job));
    const label = `webhook ${String(job.status)} job ${String(job.job_id)}`;
    this.chain = this.chain.then(() =>
      this.deliver(body).then(
        (status) => this.log(`${label} -> ${status}`),
        (error: Error) => this.log(`${label} failed: ${error.name}`),
      ),
    );
  }

  // async: anything thrown while preparing a delivery becomes a rejection that `enqueue` logs, so one bad
  // delivery can never break the chain that later deliveries wait on.
  private async deliver(body: Buffer): Promise<number> {
    if (this.closed) throw Object.assign(new Error('closed'), { name: 'EmulatorClosed' });
    const url = this.url;
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': body.length,
      'user-agent': 'hotglue-emulator-webhook',
    };
    if (this.webhook.secret) headers['x-hub-signature'] = webhookSignature(this.webhook.secret, body);
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
