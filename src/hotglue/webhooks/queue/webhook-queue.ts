import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HotglueError } from '../../hotglue.errors.js';
import type { HotglueTelemetry } from '../../telemetry/index.js';
import {
  type BullmqJob,
  type BullmqModule,
  type BullmqQueue,
  type BullmqWorker,
  loadBullmq,
} from './load-bullmq.js';
import { isRedisClient, redisOptionsFromUrl, type ValidatedWebhookQueueOptions } from './queue-options.js';
import { HOTGLUE_WEBHOOK_JOB_PROCESSOR, HOTGLUE_WEBHOOK_QUEUE_OPTIONS } from './queue-tokens.js';
import { redactedFailure } from './redacted-failure.js';

/** The delivery as a job carries it: the same id on every attempt and every instance. */
export interface HotglueQueuedDelivery {
  readonly id: string;
  /** When the receiving instance got it (ISO 8601). */
  readonly receivedAt: string;
  readonly environment?: string;
  /**
   * The tenant the event names (job and connection events, most discover events), for status views such
   * as `recentDeliveries`; absent when the event names none.
   */
  readonly tenantId?: string;
}

/** A job's data: the verified body as received, and its delivery. */
export interface HotglueWebhookJobData {
  readonly body: string;
  readonly delivery: HotglueQueuedDelivery;
  /** W3C trace context of the HTTP delivery's span, to link the processing span to it. */
  readonly traceparent?: string;
}

/** Runs the handlers of one job; rejects when any failed. `attempt` counts from 1. */
export type HotglueWebhookJobProcessor = (data: HotglueWebhookJobData, attempt: number) => Promise<void>;

/** A delivery whose tries are exhausted (or that failed and awaits its retry by hand). */
export interface HotglueFailedDelivery {
  /** The delivery id (the job id). */
  readonly id: string;
  readonly receivedAt: Date | undefined;
  readonly failedAt: Date | undefined;
  /** Tries made so far. */
  readonly attemptsMade: number;
  /** The last failure: the error's name and, when it has one, its `code`; never its message. */
  readonly error: string;
}

/**
 * Where a delivery stands in the queue: `queued` (waiting for a worker), `processing` (a worker runs its
 * handlers), `retrying` (a try failed; waiting for its back-off), `failed` (no tries left, kept in the
 * failed set), `processed` (its handlers succeeded; kept while the queue remembers completed ids).
 */
export type HotglueDeliveryState = 'queued' | 'processing' | 'retrying' | 'failed' | 'processed';

/** One delivery and its state, as `recentDeliveries` lists it: ids and times only, never the body. */
export interface HotglueDeliveryStatus {
  /** The delivery id (the job id). */
  readonly id: string;
  readonly state: HotglueDeliveryState;
  /** The tenant the event names, when it names one. */
  readonly tenantId: string | undefined;
  readonly receivedAt: Date | undefined;
  /** Tries made so far. */
  readonly attemptsMade: number;
}

/** Counts of the queue's jobs by state. */
export interface HotglueWebhookQueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
}

/** The queue's Redis did not acknowledge an add in time (or refused it): the route answers 503. */
export class HotglueWebhookQueueUnavailableError extends HotglueError {
  readonly code = 'HOTGLUE_WEBHOOK_QUEUE_UNAVAILABLE';
  constructor(reason: 'timeout' | 'error' | 'closed') {
    super(`The webhook queue's Redis did not store the delivery (${reason}); it was not acknowledged.`);
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * The webhook queue in queue mode (`HotglueWebhooksModule.forRoot({ queue })`): the route adds deliveries
 * to it, and (unless `worker: false`) this instance's worker runs their handlers. Inject it to list and
 * retry failed deliveries. In inline mode it is inert (`enabled` false) and never loads `bullmq`.
 */
@Injectable()
export class HotglueWebhookQueue
  implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger('HotglueWebhooks');
  private bullmq: BullmqModule | undefined;
  private queue: BullmqQueue | undefined;
  private worker: BullmqWorker | undefined;
  /** Connections the library opened itself (the worker's duplicate of a host client): closed at shutdown. */
  private readonly owned: Array<{ disconnect(): void }> = [];
  private closed = false;
  private telemetry: HotglueTelemetry | undefined;
  private observed = false;

  constructor(
    @Inject(HOTGLUE_WEBHOOK_QUEUE_OPTIONS) private readonly options: ValidatedWebhookQueueOptions | undefined,
    @Inject(HOTGLUE_WEBHOOK_JOB_PROCESSOR) private readonly processor: HotglueWebhookJobProcessor,
  ) {}

  /**
   * Where the queue reports (the webhook route's environment's telemetry): tries, their spans linked to the
   * HTTP delivery's, and the queue's depth, oldest waiting age and dead letters. Set before bootstrap.
   */
  attachTelemetry(telemetry: HotglueTelemetry | undefined): void {
    this.telemetry = telemetry?.enabled ? telemetry : undefined;
  }

  /** Whether the module runs in queue mode. */
  get enabled(): boolean {
    return this.options !== undefined;
  }

  /** The resolved queue options (undefined in inline mode). */
  get settings(): ValidatedWebhookQueueOptions | undefined {
    return this.options;
  }

  async onModuleInit(): Promise<void> {
    const options = this.options;
    if (options === undefined) return;
    this.bullmq = await loadBullmq();
    this.queue = new this.bullmq.Queue(options.name, {
      connection: this.producerConnection(options),
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.attempts,
        backoff: { type: 'exponential', delay: options.backoffMs },
        // Completed ids stay at least as long as inline mode's dedupe: a redelivery within it is a duplicate.
        removeOnComplete: { age: Math.ceil(options.keepCompletedMs / 1000) },
        // Exhausted deliveries stay in the failed set until retried (listFailed / retryFailed).
        removeOnFail: false,
      },
    });
    this.queue.on('error', (error) => this.logger.warn(`webhook queue: Redis error ${error.name}`));
  }

  onApplicationBootstrap(): void {
    const options = this.options;
    if (options !== undefined && !options.worker) this.observe();
    // After every module's init: the handlers are discovered before the first job can arrive.
    if (options === undefined || !options.worker || this.bullmq === undefined) return;
    this.worker = new this.bullmq.Worker(
      options.name,
      async (job) => {
        const data = job.data as HotglueWebhookJobData;
        const attempt = job.attemptsMade + 1;
        const recorder = this.telemetry?.startWebhookJob({
          deliveryId: data.delivery.id,
          attempt,
          ...(data.traceparent === undefined ? {} : { traceparent: data.traceparent }),
        });
        try {
          await this.processor(data, attempt);
        } catch (error) {
          const redacted = redactedFailure(error);
          recorder?.end(attempt >= (job.opts.attempts ?? 1) ? 'dead-letter' : 'failed', redacted.name);
          throw redacted;
        }
        recorder?.end('succeeded');
      },
      {
        connection: this.workerConnection(options),
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.stalledIntervalMs,
        stalledInterval: options.stalledIntervalMs,
      },
    );
    this.worker.on('error', (error) => this.logger.warn(`webhook worker: Redis error ${error.name}`));
    this.observe();
    this.worker.on('failed', (job, error) => {
      if (!job) return;
      const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn(
        `webhook delivery ${job.id} failed on try ${job.attemptsMade}: ${error.message}` +
          (exhausted
            ? '; no tries left, kept in the failed set (HotglueWebhookQueue.retryFailed)'
            : '; retried later'),
      );
    });
  }

  /** Registers the queue gauges once (every instance reports the same shared queue). */
  private observe(): void {
    const telemetry = this.telemetry;
    if (!telemetry || this.observed) return;
    this.observed = true;
    telemetry.observeWebhookQueue(async () => {
      const counts = await this.counts();
      return {
        depth: counts.waiting + counts.delayed,
        oldestWaitingAgeMs: await this.oldestWaitingAgeMs(),
        deadLetters: counts.failed,
      };
    });
  }

  /**
   * Adds a delivery; resolves once Redis acknowledged it, rejects with `HotglueWebhookQueueUnavailableError`
   * otherwise (and within `addTimeoutMs`). The delivery id is the job id: while the queue remembers it,
   * adding it again (from any instance) adds nothing.
   */
  async enqueue(data: HotglueWebhookJobData): Promise<void> {
    const queue = this.queue;
    if (queue === undefined || this.closed) throw new HotglueWebhookQueueUnavailableError('closed');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HotglueWebhookQueueUnavailableError('timeout')),
        this.options!.addTimeoutMs,
      );
    });
    try {
      await Promise.race([
        queue.add('delivery', withTrace(data, this.telemetry), { jobId: data.delivery.id }).catch(() => {
          throw new HotglueWebhookQueueUnavailableError('error');
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Failed deliveries, newest first (`start`..`end` inclusive, as BullMQ counts). */
  async listFailed(start = 0, end = 99): Promise<HotglueFailedDelivery[]> {
    const jobs = await this.requireQueue().getFailed(start, end);
    return jobs.map(failedDeliveryOf);
  }

  /**
   * Moves failed deliveries back to the queue with fresh tries (all of them when `ids` is absent, in
   * batches); resolves to the number moved. Each runs the handlers again with its same delivery id.
   */
  async retryFailed(ids?: readonly string[]): Promise<number> {
    const queue = this.requireQueue();
    let moved = 0;
    if (ids !== undefined) {
      for (const id of ids) {
        const job = await queue.getJob(id);
        if (job && job.finishedOn !== undefined && job.failedReason !== undefined) {
          await job.retry('failed');
          moved += 1;
        }
      }
      return moved;
    }
    for (;;) {
      const batch = await queue.getFailed(0, 99);
      if (batch.length === 0) return moved;
      for (const job of batch) {
        await job.retry('failed');
        moved += 1;
      }
    }
  }

  /**
   * The newest deliveries of each state (at most `perState` of each), newest first: a status view (the
   * sample's webhook page polls it). A snapshot read state by state, so a delivery that moves while it is
   * read is listed once, in its later state, or (rarely) missed until the next read.
   */
  async recentDeliveries(perState = 20): Promise<HotglueDeliveryStatus[]> {
    const queue = this.requireQueue();
    const end = Math.max(0, Math.floor(perState)) - 1;
    if (end < 0) return [];
    // Read in the order a job moves, so one that moves between two reads shows in its later state.
    const [queued, processing, retrying, failed, processed] = await Promise.all([
      queue.getJobs(['waiting', 'prioritized'], 0, end),
      queue.getActive(0, end),
      queue.getDelayed(0, end),
      queue.getFailed(0, end),
      queue.getCompleted(0, end),
    ]);
    const byId = new Map<string, HotglueDeliveryStatus>();
    const states: Array<[HotglueDeliveryState, BullmqJob[]]> = [
      ['queued', queued],
      ['processing', processing],
      ['retrying', retrying],
      ['failed', failed],
      ['processed', processed],
    ];
    for (const [state, jobs] of states) {
      for (const job of jobs) {
        if (job.id === undefined) continue;
        const delivery = (job.data as Partial<HotglueWebhookJobData> | undefined)?.delivery;
        byId.set(job.id, {
          id: job.id,
          state,
          tenantId: typeof delivery?.tenantId === 'string' ? delivery.tenantId : undefined,
          receivedAt: delivery?.receivedAt ? new Date(delivery.receivedAt) : undefined,
          attemptsMade: job.attemptsMade,
        });
      }
    }
    return [...byId.values()].sort((a, b) => (b.receivedAt?.getTime() ?? 0) - (a.receivedAt?.getTime() ?? 0));
  }

  /** The queue's job counts by state. */
  async counts(): Promise<HotglueWebhookQueueCounts> {
    const counts = await this.requireQueue().getJobCounts(
      'waiting',
      'active',
      'delayed',
      'failed',
      'completed',
    );
    return {
      waiting: counts.waiting ?? 0,
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
      completed: counts.completed ?? 0,
    };
  }

  /** Age in ms of the oldest delivery waiting to run (0 when none waits). */
  async oldestWaitingAgeMs(now = Date.now()): Promise<number> {
    const queue = this.requireQueue();
    const [oldest] = await queue.getWaiting(-1, -1);
    return oldest ? Math.max(0, now - oldest.timestamp) : 0;
  }

  /**
   * SIGTERM (with `app.enableShutdownHooks()`): the worker stops taking jobs and its running handlers get
   * `drainTimeoutMs` to finish; past that it closes by force (those jobs run again elsewhere once stalled).
   */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const drained = worker.close().then(() => true);
    const inTime = await Promise.race([drained, sleep(this.options!.drainTimeoutMs).then(() => false)]);
    if (!inTime) {
      this.logger.warn(
        `webhook worker: handlers still running after ${this.options!.drainTimeoutMs} ms; closing by force ` +
          '(their deliveries run again on another worker after the stalled interval)',
      );
      await worker.close(true).catch(() => undefined);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.beforeApplicationShutdown();
    this.closed = true;
    const queue = this.queue;
    this.queue = undefined;
    await queue?.close().catch(() => undefined);
    for (const connection of this.owned.splice(0)) connection.disconnect();
  }

  private requireQueue(): BullmqQueue {
    if (this.queue === undefined) {
      throw new HotglueWebhookQueueUnavailableError('closed');
    }
    return this.queue;
  }

  /**
   * The route's connection. From options: no offline queue, so an outage fails the add at once (503)
   * instead of queueing it in memory. A host client is used as given (shared; `addTimeoutMs` bounds it).
   */
  private producerConnection(options: ValidatedWebhookQueueOptions): unknown {
    const connection = options.connection;
    if (isRedisClient(connection)) return connection;
    const base = typeof connection === 'string' ? redisOptionsFromUrl(connection) : connection;
    // Not auto-pipelined: ioredis builds a pipeline per event-loop turn and copies every script command onto
    // it, and BullMQ defines about 65, so each turn's adds paid ~40 us of node CPU (docs/benchmarks.md).
    return { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  }

  /** The worker's connection: blocking reads need `maxRetriesPerRequest: null` and a connection of their own. */
  private workerConnection(options: ValidatedWebhookQueueOptions): unknown {
    const connection = options.connection as Record<string, unknown>;
    if (isRedisClient(connection)) {
      const client = connection as unknown as {
        isCluster?: boolean;
        options: { redisOptions?: Record<string, unknown> };
        duplicate(...args: unknown[]): { disconnect(): void; on(event: string, fn: () => void): void };
      };
      const copy = client.isCluster
        ? client.duplicate(undefined, {
            enableOfflineQueue: true,
            redisOptions: { ...client.options.redisOptions, maxRetriesPerRequest: null },
          })
        : client.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      copy.on('error', () => undefined);
      this.owned.push(copy);
      return copy;
    }
    const base = typeof connection === 'string' ? redisOptionsFromUrl(connection) : connection;
    return { ...base, maxRetriesPerRequest: null };
  }
}

/** The job data with the HTTP delivery's trace context, to link the processing span to it. */
function withTrace(
  data: HotglueWebhookJobData,
  telemetry: HotglueTelemetry | undefined,
): HotglueWebhookJobData {
  const traceparent = telemetry?.webhookTraceparent();
  return traceparent === undefined ? data : { ...data, traceparent };
}

function failedDeliveryOf(job: BullmqJob): HotglueFailedDelivery {
  const data = job.data as Partial<HotglueWebhookJobData> | undefined;
  const received = data?.delivery?.receivedAt;
  return {
    id: String(job.id),
    receivedAt: received ? new Date(received) : undefined,
    failedAt: job.finishedOn === undefined ? undefined : new Date(job.finishedOn),
    attemptsMade: job.attemptsMade,
    error: job.failedReason ?? '',
  };
}
