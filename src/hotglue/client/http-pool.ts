import type { OnApplicationShutdown } from '@nestjs/common';
import type { Dispatcher, Pool } from 'undici';
import type { HotglueValidatedOptions } from '../options/hotglue.options.js';

/**
 * What the transport sends through: undici's promise `request`, as a `Pool` offers it. `origin` is set only
 * for an operation that goes to another host than `apiUrl` (`createMagicLink`, to `magicLinkUrl`), as an
 * undici `Agent` reads it; absent, the request is for the `apiUrl` origin.
 */
export interface HotglueRequester {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/**
 * The keep-alive pools `HotglueClient` sends through. One for the `apiUrl` origin: at most
 * `http.connections` sockets, idle sockets closed after `http.keepAliveTimeoutMs`. A second one for the
 * `magicLinkUrl` origin, opened only when a request names that origin (`createMagicLink`, when
 * `magicLinkUrl` is on another origin than `apiUrl`), with the same settings; any other origin is refused, so
 * the pool never becomes a general-purpose agent. No redirect handling is installed, so 3xx responses are
 * returned, never followed. Time limits are enforced per attempt by the transport; the pools' own
 * header/body idle timeouts are set to the attempt timeout as a backstop.
 *
 * undici itself is imported at the first request, not with the library: its index loads fetch, WebSocket,
 * the caches and every agent (about 90 ms), which an app that only signs tokens, or a CLI that never calls
 * hotglue, would otherwise pay at every start (test/bench/startup.bench.ts). After `close()` a pool is
 * created closed, so a late call fails as undici fails it (a closed pool, not a transient error).
 */
export class HotglueHttpPool implements HotglueRequester {
  #pool: Promise<Pool> | undefined;
  #magicLinkPool: Promise<Pool> | undefined;
  #closed = false;

  constructor(private readonly options: HotglueValidatedOptions) {}

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  async request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    if (options.origin === undefined) return (await this.pool()).request(options);
    const origin = new URL(options.origin).origin;
    if (origin !== new URL(this.options.magicLinkUrl).origin) {
      throw new Error(`HotglueHttpPool sends only to apiUrl and magicLinkUrl, not to ${origin}.`);
    }
    this.#magicLinkPool ??= this.open(origin);
    return (await this.#magicLinkPool).request({ ...options, origin: undefined });
  }

  /** Closes the pools (those ever opened) after in-flight requests complete. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#pool, this.#magicLinkPool].map(async (pool) => pool && (await pool).close()));
  }

  private pool(): Promise<Pool> {
    this.#pool ??= this.open(new URL(this.options.apiUrl).origin);
    return this.#pool;
  }

  private open(origin: string): Promise<Pool> {
    return import('undici').then(({ Pool: UndiciPool }) => {
      const { http } = this.options;
      const pool = new UndiciPool(origin, {
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
  }
}

/** Closes the pool when the Nest application shuts down (`app.close()`), after in-flight calls finish. */
export class HotgluePoolLifecycle implements OnApplicationShutdown {
  constructor(private readonly pool: HotglueHttpPool) {}

  /** Closes the pool; pending requests complete first. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
