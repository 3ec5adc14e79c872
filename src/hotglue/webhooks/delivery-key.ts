import { hash as digest } from 'node:crypto';
import type { HotglueWebhookEvent } from './webhook-events.js';

// One-shot `crypto.hash` (Node 20.12+): half the cost of a `createHash` object per delivery.
const hash = (text: string | Buffer) => digest('sha256', text, 'hex').slice(0, 40);

/**
 * The dedupe key (and public delivery id) of a delivery. A job event is keyed on its job and status
 * (`s3_root`, unique per job, or tenant + flow + `job_id`), so a redelivery that differs in whitespace,
 * key order or `last_updated` still counts as the same status change; any other event on its body bytes.
 */
export function deliveryKey(event: HotglueWebhookEvent, body: Buffer): string {
  if (event.kind === 'job') {
    const job = event.s3Root ?? JSON.stringify([event.tenantId, event.flowId, event.jobId]);
    return `job-${hash(JSON.stringify([job, event.status]))}`;
  }
  return `body-${hash(body)}`;
}
