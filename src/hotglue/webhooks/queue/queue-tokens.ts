// Kept apart from webhook-queue.ts: that file's run-time exports are all public (the package's other entries,
// such as ./health, import it and must find each of its names in the main entry).

/** Injection token of the resolved queue options (`undefined` in inline mode). */
export const HOTGLUE_WEBHOOK_QUEUE_OPTIONS = Symbol.for('nestjs-hotglue.webhook-queue-options');
/** Injection token of the function a worker runs for each job (the webhook kit's handlers). */
export const HOTGLUE_WEBHOOK_JOB_PROCESSOR = Symbol.for('nestjs-hotglue.webhook-job-processor');
