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
  return connectClient(client, 'REDIS_URL', logger);
}

/**
 * The same for a Redis Cluster (`REDIS_CLUSTER_NODES`): an ioredis `Cluster` over these startup nodes (it
 * discovers the others and follows the slots through a failover); the first URL's user, password and TLS
 * (`rediss://`) apply to every node.
 */
export async function connectSampleRedisCluster(
  nodes: readonly string[],
  logger: LoggerService,
): Promise<SampleRedis> {
  const { Cluster } = await import('ioredis');
  const first = new URL(nodes[0]!);
  const client = new Cluster(
    nodes.map((node) => {
      const url = new URL(node);
      return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) };
    }),
    {
      lazyConnect: true,
      enableOfflineQueue: false,
      redisOptions: {
        maxRetriesPerRequest: 1,
        ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
        ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
  return connectClient(client, 'REDIS_CLUSTER_NODES', logger);
}

interface IoredisClient extends HotglueRedisClient {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
  connect(): Promise<void>;
  quit(): Promise<unknown>;
  disconnect(): void;
}

async function connectClient(
  client: IoredisClient,
  variable: string,
  logger: LoggerService,
): Promise<SampleRedis> {
  let lastLogged = 0;
  client.on('error', (error) => {
    const now = Date.now();
    if (now - lastLogged < ERROR_LOG_INTERVAL_MS) return;
    lastLogged = now;
    logger.warn?.(
      `Redis (${variable}) error: ${error.name}${error.code ? ` ${error.code}` : ''}; reconnecting`,
    );
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const code = (error as { code?: string }).code;
    throw new HotglueConfigError([
      {
        path: variable,
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
