import { HotglueConfigError } from '../../hotglue.errors.js';
import { importOptionalPeer } from '../../internal/import-optional-peer.js';

/** The part of `bullmq` the queue mode uses (typed here so the library compiles without it). */
export interface BullmqJob {
  readonly id?: string;
  readonly data: unknown;
  readonly attemptsMade: number;
  readonly timestamp: number;
  readonly finishedOn?: number;
  readonly failedReason?: string;
  readonly opts: { readonly attempts?: number };
  retry(state?: 'failed' | 'completed'): Promise<void>;
}

export interface BullmqQueue {
  add(name: string, data: unknown, opts?: Record<string, unknown>): Promise<BullmqJob>;
  getJob(id: string): Promise<BullmqJob | undefined>;
  getFailed(start?: number, end?: number): Promise<BullmqJob[]>;
  getWaiting(start?: number, end?: number): Promise<BullmqJob[]>;
  getActive(start?: number, end?: number): Promise<BullmqJob[]>;
  getDelayed(start?: number, end?: number): Promise<BullmqJob[]>;
  getCompleted(start?: number, end?: number): Promise<BullmqJob[]>;
  getJobs(types: string[], start?: number, end?: number, asc?: boolean): Promise<BullmqJob[]>;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
  waitUntilReady(): Promise<unknown>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export interface BullmqWorker {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'failed', listener: (job: BullmqJob | undefined, error: Error) => void): unknown;
  on(event: 'completed', listener: (job: BullmqJob) => void): unknown;
  waitUntilReady(): Promise<unknown>;
  close(force?: boolean): Promise<void>;
}

export interface BullmqModule {
  Queue: new (name: string, opts: Record<string, unknown>) => BullmqQueue;
  Worker: new (
    name: string,
    processor: (job: BullmqJob) => Promise<unknown>,
    opts: Record<string, unknown>,
  ) => BullmqWorker;
}

/**
 * Loads `bullmq` (an optional peer) the first time queue mode starts. A dynamic `import()` of a computed
 * name, so an app in inline mode, and a bundle of it, never loads or needs it. Missing: a config error naming the fix.
 */
export async function loadBullmq(): Promise<BullmqModule> {
  try {
    return (await importOptionalPeer('bullmq')) as BullmqModule;
  } catch {
    throw new HotglueConfigError([
      {
        path: 'webhooks.queue',
        message:
          'needs the packages bullmq and ioredis: npm install bullmq ioredis (or remove webhooks.queue to process deliveries inline).',
      },
    ]);
  }
}
