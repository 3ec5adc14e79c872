import type { HotglueWebhookEvent } from './webhook-events.js';
import { HOTGLUE_WEBHOOK_SUBSCRIPTIONS, type HotglueWebhookSubscription } from './webhook-options.js';
import { verifyHotglueSignature } from './webhook-signature.js';

/**
 * The subscriptions whose secret may sign an event of this shape.
 * - A job event (hotglue's Job object) belongs to the job lifecycle subscription. One whose status is a
 *   `DISCOVER_*` stage is accepted from the discover subscription too: hotglue's docs do not show whether a
 *   job's own discover stage reaches the discover webhook with the Job object as its body, and refusing
 *   it there would lose a genuine delivery; such a body can only ever say "this job is discovering".
 * - A discover event belongs to the discover subscription, a connection event to the connection subscription.
 * - An `unknown` shape is accepted from any subscription whose secret verifies it: it is hotglue's (signed),
 *   it is not typed as any family, and dropping it would hide a shape this version does not know yet.
 */
export function subscriptionsOf(event: HotglueWebhookEvent): readonly HotglueWebhookSubscription[] {
  switch (event.kind) {
    case 'job':
      return event.status.toUpperCase().startsWith('DISCOVER_') ? ['job', 'discover'] : ['job'];
    case 'discover':
      return ['discover'];
    case 'connection':
      return ['connection'];
    default:
      return HOTGLUE_WEBHOOK_SUBSCRIPTIONS;
  }
}

/**
 * Pure: the subscriptions whose secret verifies `body` under `header`. Every distinct configured secret is
 * tried, always all of them (no early exit), each with the constant-time `verifyHotglueSignature`: how long
 * this takes depends on how many secrets are configured, never on which one matched or how much of a digest
 * did. Two subscriptions that share a secret both verify.
 */
export function verifiedSubscriptions(
  secrets: Readonly<Record<HotglueWebhookSubscription, string | undefined>>,
  body: Buffer,
  header: string | readonly string[] | undefined,
): ReadonlySet<HotglueWebhookSubscription> {
  const verdict = new Map<string, boolean>();
  for (const name of HOTGLUE_WEBHOOK_SUBSCRIPTIONS) {
    const secret = secrets[name];
    if (secret !== undefined && !verdict.has(secret)) {
      verdict.set(secret, verifyHotglueSignature(secret, body, header));
    }
  }
  const out = new Set<HotglueWebhookSubscription>();
  for (const name of HOTGLUE_WEBHOOK_SUBSCRIPTIONS) {
    const secret = secrets[name];
    if (secret !== undefined && verdict.get(secret)) out.add(name);
  }
  return out;
}
