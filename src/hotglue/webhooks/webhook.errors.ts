import { HotglueError } from '../hotglue.errors.js';

/** Why the webhook kit cannot work in this app. */
export type HotglueWebhookSetupProblem = 'unsupported-adapter' | 'body-not-captured';

/**
 * The receiver cannot read raw request bodies in this app. Thrown at boot for an HTTP adapter other than
 * Express or Fastify; logged (and the delivery answered 500) when a body reached the route already read.
 */
export class HotglueWebhookSetupError extends HotglueError {
  readonly code = 'HOTGLUE_WEBHOOK_SETUP';

  constructor(
    readonly problem: HotglueWebhookSetupProblem,
    detail: string,
  ) {
    super(`HotglueWebhooksModule: ${detail}`);
  }
}
