import { randomBytes } from 'node:crypto';

/** The happy path of a hotglue job (see docs/hotglue-reference.md), one step per `jobStepMs`. */
export const JOB_STEPS = [
  'JOB_CREATED',
  'DISCOVER_STARTED',
  'SYNC_STARTED',
  'SYNC_SUCCESS',
  'ETL_STARTED',
  'ETL_SUCCESS',
  'EXPORT_STARTED',
  'JOB_COMPLETED',
] as const;

/** A terminal failure a test can force on a job with `HotglueEmulator.failJob`. */
export type JobFailure = 'DISCOVER_FAILED' | 'SYNC_FAILED' | 'ETL_FAILED' | 'EXPORT_FAILED';

/** The step index at which each failure replaces the happy-path status (right after its `*_STARTED`). */
export const FAILURE_STEP: Readonly<Record<JobFailure, number>> = {
  DISCOVER_FAILED: 2,
  SYNC_FAILED: 3,
  ETL_FAILED: 5,
  EXPORT_FAILED: 7,
};

/** Where a job stands after `elapsedMs` of emulator clock time. */
export interface JobProgress {
  /** Number of status changes so far (0 = just created); equal for equal statuses. */
  readonly step: number;
  readonly status: string;
  /** True once the job reached JOB_COMPLETED or a `*_FAILED` status. */
  readonly done: boolean;
}

/** Pure: the status of a job created `elapsedMs` ago, optionally failing at `failure`. */
export function jobProgress(elapsedMs: number, stepMs: number, failure?: JobFailure): JobProgress {
  const last = failure === undefined ? JOB_STEPS.length - 1 : FAILURE_STEP[failure];
  const step = Math.min(last, Math.max(0, Math.floor(elapsedMs / stepMs)));
  if (failure !== undefined && step === last) return { step, status: failure, done: true };
  return { step, status: JOB_STEPS[step]!, done: step === JOB_STEPS.length - 1 };
}

/** A short job id like hotglue's (`37g_DK`); not unique on its own, as in hotglue (§3: `s3_root` is). */
export function newJobId(): string {
  return randomBytes(6).toString('base64url').slice(0, 6);
}

/**
 * The week of the month, weeks starting Monday (week 1 runs from the 1st to the first Sunday), in UTC. It
 * fits both examples hotglue's docs give: `…/jobs/2022/01/4/19/…` for 2022-01-19 (a Wednesday; the 1st was
 * a Saturday) and `…/jobs/2024/10/1/06/…` for 2024-10-06 (see docs/hotglue-reference.md).
 */
export function weekOfMonth(date: Date): number {
  const day = date.getUTCDate();
  const first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
  const firstWeekday = (first.getUTCDay() + 6) % 7; // Monday = 0
  return Math.floor((day - 1 + firstWeekday) / 7) + 1;
}

/**
 * `{tenant}/flows/{flow}/jobs/{YYYY}/{MM}/{n}/{DD}/{HH}/{job_id}` (see docs/hotglue-reference.md), `n` the week of the
 * month with weeks starting Monday (`weekOfMonth`), computed in UTC.
 */
export function jobRoot(tenantId: string, flowId: string, createdAt: Date, jobId: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = createdAt.getUTCDate();
  const week = weekOfMonth(createdAt);
  return [
    tenantId,
    'flows',
    flowId,
    'jobs',
    createdAt.getUTCFullYear(),
    pad(createdAt.getUTCMonth() + 1),
    week,
    pad(day),
    pad(createdAt.getUTCHours()),
    jobId,
  ].join('/');
}
