import { randomBytes } from 'node:crypto';

/**
 * The happy path of a hotglue job (see docs/hotglue-reference.md), one step per `jobStepMs`, for a job that
 * runs a discover. hotglue sends `DISCOVER_STARTED` only "If job discovers enabled"
 * (https://docs.hotglue.com/docs/jobs-lifecycle); the emulator's jobs skip it unless `jobDiscover` (emulator
 * option, or per flow) is on, so they go `JOB_CREATED`, `SYNC_STARTED`, ... (`jobSteps(false)`).
 */
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

const STEPS_WITHOUT_DISCOVER: readonly string[] = JOB_STEPS.filter((step) => step !== 'DISCOVER_STARTED');

/** The happy-path statuses of a job, with or without its discover stage. */
export function jobSteps(discover: boolean): readonly string[] {
  return discover ? JOB_STEPS : STEPS_WITHOUT_DISCOVER;
}

/** A terminal failure a test can force on a job with `HotglueEmulator.failJob`. */
export type JobFailure = 'DISCOVER_FAILED' | 'SYNC_FAILED' | 'ETL_FAILED' | 'EXPORT_FAILED';

/**
 * The step index at which `failure` replaces the happy-path status (right after its `*_STARTED`), or
 * undefined when the job has no such stage (`DISCOVER_FAILED` on a job that runs no discover).
 */
export function failureStep(failure: JobFailure, discover: boolean): number | undefined {
  const started = jobSteps(discover).indexOf(failure.replace(/_FAILED$/, '_STARTED'));
  return started < 0 ? undefined : started + 1;
}

/** Where a job stands after `elapsedMs` of emulator clock time. */
export interface JobProgress {
  /** Number of status changes so far (0 = just created); equal for equal statuses. */
  readonly step: number;
  readonly status: string;
  /** True once the job reached JOB_COMPLETED or a `*_FAILED` status. */
  readonly done: boolean;
}

/**
 * Pure: the status of a job created `elapsedMs` ago that runs a discover stage or not (`discover`),
 * optionally failing at `failure`.
 */
export function jobProgress(
  elapsedMs: number,
  stepMs: number,
  failure?: JobFailure,
  discover = false,
): JobProgress {
  const steps = jobSteps(discover);
  const failAt = failure === undefined ? undefined : failureStep(failure, discover);
  const last = failAt ?? steps.length - 1;
  const step = Math.min(last, Math.max(0, Math.floor(elapsedMs / stepMs)));
  if (failAt !== undefined && step === last) return { step, status: failure!, done: true };
  return { step, status: steps[step]!, done: step === steps.length - 1 };
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
