import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY } from '../hotglue.constants.js';
import type { HotglueResolvedOptions } from '../hotglue.options.js';
import type { HotglueSigningKey } from '../signing-key/index.js';
import { type ApiProbeResult, probeApi } from './api-probe.js';

/** Default probe timeout: short, so a slow hotglue cannot stall the orchestrator's liveness checks. */
export const DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS = 2000;
/** How long one probe's outcome answers later health checks. */
export const DEFAULT_HOTGLUE_HEALTH_CACHE_MS = 5000;

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
    @Inject(HOTGLUE_OPTIONS) private readonly options: HotglueResolvedOptions,
    @Inject(HOTGLUE_SIGNING_KEY) private readonly signingKey: HotglueSigningKey,
  ) {}

  private lastProbe: { readonly startedAt: number; readonly result: Promise<ApiProbeResult> } | undefined;

  /** `up` when the key is loaded and the API answered in time; `down` (HTTP 503 from terminus) otherwise. */
  async isHealthy(key = 'hotglue', options: HotglueHealthCheckOptions = {}): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const timeoutMs = options.timeoutMs ?? DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS;
    const base = {
      keyLoaded: true,
      keyFingerprint: this.signingKey.fingerprint,
      // Only the origin: the base URL has no credentials (config validation refuses them) but stay minimal.
      api: new URL(this.options.apiUrl).origin,
    };
    const cacheMs = options.cacheMs ?? DEFAULT_HOTGLUE_HEALTH_CACHE_MS;
    const now = Date.now();
    if (!this.lastProbe || now - this.lastProbe.startedAt >= cacheMs) {
      this.lastProbe = { startedAt: now, result: probeApi(this.options.apiUrl, timeoutMs) };
    }
    const probe = await this.lastProbe.result;
    return probe.reachable
      ? session.up({ ...base, apiReachable: true, apiResponseTimeMs: probe.responseTimeMs })
      : session.down({ ...base, apiReachable: false, reason: probe.reason, timeoutMs });
  }
}
