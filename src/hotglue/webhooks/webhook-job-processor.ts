import { parseJsonBody } from './parse-json-body.js';
import { parseHotglueEvent } from './parse-webhook-event.js';
import type { HotglueWebhookJobProcessor } from './queue/webhook-queue.js';
import type { HotglueEventDispatch } from './webhook-processor.js';

/**
 * What a queue worker runs for a job: the stored body (verified when it was received) parsed again, as the
 * receiver parsed it, and dispatched to the `@OnHotglueEvent` handlers with the delivery it was stored with
 * (same id on every try and every instance). A rejection fails this try; the queue retries it.
 */
export function createWebhookJobProcessor(dispatch: HotglueEventDispatch): HotglueWebhookJobProcessor {
  return async (data) => {
    const event = parseHotglueEvent(parseJsonBody(data.body) as Record<string, unknown>);
    const { id, receivedAt, environment } = data.delivery;
    await dispatch(event, {
      id,
      receivedAt: new Date(receivedAt),
      ...(environment === undefined ? {} : { environment }),
    });
  };
}
