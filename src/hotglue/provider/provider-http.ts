import type { Agent, Dispatcher } from 'undici';

/** Limits of the provider transport (module option `providerHttp`, the same fields as `http`). */
export interface ProviderHttpSettings {
  readonly connections: number;
  readonly keepAliveTimeoutMs: number;
  readonly attemptTimeoutMs: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly maxRetryAfterMs: number;
  readonly maxResponseBytes: number;
}

/** What provider calls send through: undici's promise `request` on a multi-origin dispatcher. */
export interface ProviderDispatcher {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
}

/**
 * One keep-alive undici `Agent` for every provider origin of an environment (a pool per origin inside).
 * No redirect interceptor is installed, so a 3xx is returned, never followed, and the token never travels to
 * a `Location`. `maxResponseSize` makes undici stop reading a body beyond the cap. undici is imported at
 * the first call, as the hotglue pool does, so an app that never calls a provider does not load it.
 */
export class ProviderAgent implements ProviderDispatcher {
  #agent: Promise<Agent> | undefined;
  /** The agent once loaded: later calls go straight to it, without a promise hop of their own. */
  #ready: Agent | undefined;
  #closed = false;

  constructor(private readonly settings: ProviderHttpSettings) {}

  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    if (this.#ready !== undefined) return this.#ready.request(options);
    return this.agent().then((agent) => agent.request(options));
  }

  /** Nest calls it at `app.close()`: the agent closes after in-flight requests complete. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Closes the agent once in-flight requests complete. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#ready = undefined;
    if (this.#agent) await (await this.#agent).close();
  }

  private agent(): Promise<Agent> {
    this.#agent ??= import('undici').then(({ Agent: UndiciAgent }) => {
      const s = this.settings;
      const agent = new UndiciAgent({
        connections: s.connections,
        keepAliveTimeout: s.keepAliveTimeoutMs,
        keepAliveMaxTimeout: Math.max(s.keepAliveTimeoutMs, 600_000),
        headersTimeout: s.attemptTimeoutMs,
        bodyTimeout: s.attemptTimeoutMs,
        maxResponseSize: s.maxResponseBytes,
        pipelining: 1,
      });
      if (this.#closed) void agent.close();
      else this.#ready = agent;
      return agent;
    });
    return this.#agent;
  }
}
