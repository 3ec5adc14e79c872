import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { getHotglueEnvironment } from '../environment/environment-ref.js';
import { HotglueWebhookQueue } from '../webhooks/queue/webhook-queue.js';
import { type ApiProbeResult, probeApi } from './api-probe.js';

/** Default probe timeout: short, so a slow hotglue cannot stall the orchestrator's liveness checks. */
const DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS = 2000;
/** How long one probe's outcome answers later health checks. */
const DEFAULT_HOTGLUE_HEALTH_CACHE_MS = 5000;

/** Options of `HotglueHealthIndicator.isHealthy`. */
export interface HotglueHealthCheckOptions {
  /** How long the API may take to answer. Default 2000 ms. */
  readonly timeoutMs?: number;
  /**
   * Reuse a probe started less than this long ago (including one still in flight). Default 5000 ms: a
   * health route is often public and polled by several orchestrators, and must not turn each of its hits
   * into a request to hotglue. `0` probes every time.
   */
  readonly cacheMs?: number;
  /** The named environment to check (`forRoot({ name })`). Default: the unnamed one. */
  readonly environment?: string;
  /**
   * What a refused key rotation (a bad new key file, an unreadable file, a refused `rotateSigningKey`) does
   * to the result: `'down'` (default) reports the indicator down, so the broken secret is noticed before
   * the old key stops working at hotglue; `'report'` keeps it up and only adds `keyRotation` (use it for a
   * liveness probe, where down would restart a pod that still signs fine).
   */
  readonly keyRotationFailure?: 'down' | 'report';
}

/**
 * `@nestjs/terminus` indicator: the signing key is loaded (with its non-secret fingerprint, so operators see
 * which key runs) and the hotglue API answers within a short timeout. Register it next to `TerminusModule`:
 *
 * ```ts
 * @Module({ imports: [TerminusModule, HotglueModule.forRootAsync(...)], providers: [HotglueHealthIndicator] })
 * // in a controller:
 * @Get('health') @HealthCheck() check() { return this.health.check([() => this.hotglue.isHealthy()]); }
 * ```
 */
@Injectable()
export class HotglueHealthIndicator {
  constructor(
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
  ) {}

  /** One cached probe per API URL (environments may share one). */
  private readonly lastProbes = new Map<
    string,
    { readonly startedAt: number; readonly result: Promise<ApiProbeResult> }
  >();

  /**
   * `up` when the key is loaded, no key rotation was refused since the last good key, and the API answered
   * in time; `down` (HTTP 503 from terminus) otherwise. Details carry the active key's fingerprint.
   */
  async isHealthy(key = 'hotglue', options: HotglueHealthCheckOptions = {}): Promise<HealthIndicatorResult> {
    const environment = getHotglueEnvironment(this.moduleRef, options.environment);
    const apiUrl = environment.options.apiUrl;
    const session = this.indicators.check(key);
    const timeoutMs = options.timeoutMs ?? DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS;
    const rejection = environment.signingKey.rejection;
    const base = {
      ...(environment.name === undefined ? {} : { environment: environment.name }),
      keyLoaded: true,
      keyFingerprint: environment.signingKey.current.fingerprint,
      // Setting and reason only: the refused value is never kept, so it cannot be shown.
      ...(rejection
        ? {
            keyRotation: {
              refused: true,
              setting: rejection.setting,
              problem: rejection.problem,
              since: rejection.at.toISOString(),
            },
          }
        : {}),
      // Only the origin: the base URL has no credentials (config validation refuses them) but stay minimal.
      api: new URL(apiUrl).origin,
    };
    const cacheMs = options.cacheMs ?? DEFAULT_HOTGLUE_HEALTH_CACHE_MS;
    const now = Date.now();
    let lastProbe = this.lastProbes.get(apiUrl);
    if (!lastProbe || now - lastProbe.startedAt >= cacheMs) {
      lastProbe = { startedAt: now, result: probeApi(apiUrl, timeoutMs) };
      this.lastProbes.set(apiUrl, lastProbe);
    }
    const probe = await lastProbe.result;
    const keyDown = rejection !== undefined && (options.keyRotationFailure ?? 'down') === 'down';
    if (!probe.reachable)
      return session.down({ ...base, apiReachable: false, reason: probe.reason, timeoutMs });
    const details = { ...base, apiReachable: true, apiResponseTimeMs: probe.responseTimeMs };
    return keyDown ? session.down({ ...details, reason: 'key-rotation-refused' }) : session.up(details);
  }

  /**
   * The webhook queue's Redis (`HotglueWebhooksModule` in queue mode): `up` with the queue's counts and
   * oldest waiting age when Redis answers within `timeoutMs` (default 2000 ms), `down` otherwise, or when
   * the app runs webhooks inline (nothing to report: leave this check out there).
   *
   * ```ts
   * this.health.check([() => this.hotglue.isHealthy(), () => this.hotglue.isWebhookQueueHealthy()])
   * ```
   */
  async isWebhookQueueHealthy(
    key = 'hotglueWebhookQueue',
    options: { readonly timeoutMs?: number } = {},
  ): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    let queue: HotglueWebhookQueue | undefined;
    try {
      queue = this.moduleRef.get(HotglueWebhookQueue, { strict: false });
    } catch {
      queue = undefined;
    }
    if (!queue?.enabled) return session.down({ reason: 'not-queue-mode' });
    const timeoutMs = options.timeoutMs ?? DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      const probe = (async () => ({
        counts: await queue.counts(),
        oldestWaitingAgeMs: await queue.oldestWaitingAgeMs(),
      }))().catch(() => undefined);
      const result = await Promise.race([probe, timeout]);
      const settings = queue.settings!;
      const base = { prefix: settings.prefix, queue: settings.name, worker: settings.worker };
      if (!result) return session.down({ ...base, redisReachable: false, timeoutMs });
      return session.up({
        ...base,
        redisReachable: true,
        responseTimeMs: Date.now() - started,
        ...result.counts,
        oldestWaitingAgeMs: result.oldestWaitingAgeMs,
      });
    } finally {
      clearTimeout(timer);
    }
  }
}
