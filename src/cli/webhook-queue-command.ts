import { hotglueEnvPrefix } from '../hotglue/options/environment-names.js';
import { validateWebhookQueueOptions } from '../hotglue/webhooks/queue/queue-options.js';
import { HotglueWebhookQueue } from '../hotglue/webhooks/queue/webhook-queue.js';
import { HOTGLUE_WEBHOOK_QUEUE_REDIS_URL_VAR } from '../hotglue/webhooks/webhooks.config.js';
import { EXIT } from './cli-help.js';

/** How long the commands wait for Redis before giving up (exit 5). */
const REDIS_TIMEOUT_MS = 10_000;

export interface WebhookQueueCommand {
  readonly command: 'webhooks-failed' | 'webhooks-retry';
  readonly ids: readonly string[];
  readonly name: string | undefined;
  readonly prefix: string | undefined;
  readonly queue: string | undefined;
  readonly limit: number;
  /** How long to wait for Redis; default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * `nestjs-hotglue webhooks-failed` / `webhooks-retry [ids...]`: the failed deliveries of the webhook queue
 * (queue mode), read from HOTGLUE_WEBHOOK_QUEUE_REDIS_URL; the same `HotglueWebhookQueue` methods a host
 * calls, with no worker and no Nest app. Never prints the URL (it may hold a password).
 */
export async function runWebhookQueueCommand(
  env: NodeJS.ProcessEnv,
  options: WebhookQueueCommand,
): Promise<number> {
  const variable = HOTGLUE_WEBHOOK_QUEUE_REDIS_URL_VAR.replace(/^HOTGLUE_/, hotglueEnvPrefix(options.name));
  const url = env[variable]?.trim();
  const issues: Array<{ path: string; message: string }> = [];
  if (!url) issues.push({ path: variable, message: 'is not set: the Redis URL of the webhook queue.' });
  const resolved = url
    ? validateWebhookQueueOptions(
        issues,
        {
          connection: url,
          worker: false,
          ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
          ...(options.queue === undefined ? {} : { name: options.queue }),
        },
        0,
      )
    : undefined;
  if (!resolved) {
    for (const issue of issues)
      console.error(
        `nestjs-hotglue: ${issue.path.replace(/^webhooks\.queue\.connection \(([^)]+)\)$/, '$1')}: ${issue.message}`,
      );
    return EXIT.config;
  }
  const queue = new HotglueWebhookQueue(resolved, async () => undefined);
  const timeoutMs = options.timeoutMs ?? REDIS_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const work = (async () => {
      await queue.onModuleInit();
      if (options.command === 'webhooks-failed') {
        const failed = await queue.listFailed(0, options.limit - 1);
        console.log(JSON.stringify(failed, null, 2));
      } else {
        const moved = await queue.retryFailed(options.ids.length > 0 ? options.ids : undefined);
        console.log(`${moved} failed deliver${moved === 1 ? 'y' : 'ies'} moved back to the queue.`);
      }
      return 'done' as const;
    })();
    if ((await Promise.race([work, timeout])) === 'timeout') {
      console.error(
        `nestjs-hotglue: the webhook queue's Redis (${variable}) did not answer within ${timeoutMs} ms.`,
      );
      return EXIT.unavailable;
    }
    return EXIT.ok;
  } catch (error) {
    console.error(
      `nestjs-hotglue: the webhook queue's Redis (${variable}) failed: ${(error as Error).name}.`,
    );
    return EXIT.unavailable;
  } finally {
    clearTimeout(timer);
    await Promise.race([queue.onApplicationShutdown(), new Promise((r) => setTimeout(r, 1_000))]);
  }
}
