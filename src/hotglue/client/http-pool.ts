import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import type { HotglueResolvedOptions } from '../hotglue.options.js';
import { HOTGLUE_HTTP_POOL } from './client.constants.js';

/**
 * The keep-alive pool `HotglueClient` sends through: one origin (the `apiUrl` host), at most
 * `http.connections` sockets, idle sockets closed after `http.keepAliveTimeoutMs`. No redirect handling is
 * installed, so 3xx responses are returned, never followed. Time limits are enforced per attempt by the
 * transport; the pool's own header/body idle timeouts are set to the attempt timeout as a backstop.
 */
export function createHotgluePool(options: HotglueResolvedOptions): Pool {
  const { http } = options;
  return new Pool(new URL(options.apiUrl).origin, {
    connections: http.connections,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    keepAliveMaxTimeout: Math.max(http.keepAliveTimeoutMs, 600_000),
    headersTimeout: http.attemptTimeoutMs,
    bodyTimeout: http.attemptTimeoutMs,
    pipelining: 1,
  });
}

/** Closes the pool when the Nest application shuts down (`app.close()`), after in-flight calls finish. */
@Injectable()
export class HotgluePoolLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HOTGLUE_HTTP_POOL) private readonly pool: Pool) {}

  /** Closes the pool; pending requests complete first. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.pool.closed && !this.pool.destroyed) await this.pool.close();
  }
}
