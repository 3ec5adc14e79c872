import type { LoggerService } from '@nestjs/common';
import { HotglueConfigError, type HotglueRedisClient } from '../../hotglue/index.js';

/** A connected Redis client and how to close it. */
export interface SampleRedis {
  readonly client: HotglueRedisClient;
  close(): Promise<void>;
}

/** Errors are logged at most this often while Redis stays down (ioredis reports every reconnect attempt). */
const ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * Connects to `REDIS_URL` with ioredis, loaded only here (an optional peer: without `REDIS_URL` it is never
 * imported). No offline queue: while Redis is down a command fails at once, so a webhook answers 503 and a
 * rate-limited route 503, instead of hanging. A failed first connection is a configuration error naming
 * `REDIS_URL` (never its value, which may hold a password).
 */
export async function connectSampleRedis(url: string, logger: LoggerService): Promise<SampleRedis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let lastLogged = 0;
  client.on('error', (error: Error & { code?: string }) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn?.(
      `Redis (REDIS_URL) error: ${error.name}${error.code ? ` ${error.code}` : ''}; reconnecting`,
    );
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const code = (error as { code?: string }).code;
    throw new HotglueConfigError([
      {
        path: 'REDIS_URL',
        message: `could not connect${code ? ` (${code})` : ''}: check that Redis runs and the URL's host, port and password.`,
      },
    ]);
  }
  return {
    client,
    close: async () => {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
