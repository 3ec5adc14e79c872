import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Dispatcher, Pool } from 'undici';
import type { HotglueValidatedOptions } from '../options/hotglue.options.js';
import { HOTGLUE_HTTP_POOL } from './client.constants.js';

/** What the transport sends through: undici's promise `request`, as a `Pool` offers it. */
export interface HotglueRequester {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/**
 * The keep-alive pool `HotglueClient` sends through: one origin (the `apiUrl` host), at most
 * `http.connections` sockets, idle sockets closed after `http.keepAliveTimeoutMs`. No redirect handling is
 * installed, so 3xx responses are returned, never followed. Time limits are enforced per attempt by the
 * transport; the pool's own header/body idle timeouts are set to the attempt timeout as a backstop.
 *
 * undici itself is imported at the first request, not with the library: its index loads fetch, WebSocket,
 * the caches and every agent (about 90 ms), which an app that only signs tokens, or a CLI that never calls
 * hotglue, would otherwise pay at every start (test/bench/startup.bench.ts). After `close()` the pool is
 * created closed, so a late call fails as undici fails it (a closed pool, not a transient error).
 */
export class HotglueHttpPool implements HotglueRequester {
  #pool: Promise<Pool> | undefined;
  #closed = false;

  constructor(private readonly options: HotglueValidatedOptions) {}

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    return (await this.pool()).request(options);
  }

  /** Closes the pool (if it was ever opened) after in-flight requests complete. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#pool) await (await this.#pool).close();
  }

  private pool(): Promise<Pool> {
    this.#pool ??= import('undici').then(({ Pool: UndiciPool }) => {
      const { http, apiUrl } = this.options;
      const pool = new UndiciPool(new URL(apiUrl).origin, {
        connections: http.connections,
        keepAliveTimeout: http.keepAliveTimeoutMs,
        keepAliveMaxTimeout: Math.max(http.keepAliveTimeoutMs, 600_000),
        headersTimeout: http.attemptTimeoutMs,
        bodyTimeout: http.attemptTimeoutMs,
        pipelining: 1,
      });
      if (this.#closed) void pool.close();
      return pool;
    });
    return this.#pool;
  }
}

/** Closes the pool when the Nest application shuts down (`app.close()`), after in-flight calls finish. */
@Injectable()
export class HotgluePoolLifecycle implements OnApplicationShutdown {
  constructor(@Inject(HOTGLUE_HTTP_POOL) private readonly pool: HotglueHttpPool) {}

  /** Closes the pool; pending requests complete first. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
