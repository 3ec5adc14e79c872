import { Inject, Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { HOTGLUE_OPTIONS, HOTGLUE_SIGNING_KEY } from '../hotglue.constants.js';
import type { HotglueResolvedOptions } from '../hotglue.options.js';
import type { HotglueSigningKey } from '../signing-key/index.js';
import { probeApi } from './api-probe.js';

/** Default probe timeout: short, so a slow hotglue cannot stall the orchestrator's liveness checks. */
export const DEFAULT_HOTGLUE_HEALTH_TIMEOUT_MS = 2000;

/** Options of `HotglueHealthIndicator.isHealthy`. */
export interface HotglueHealthCheckOptions {
  /** How long the API may take to answer. Default 2000 ms. */
  readonly timeoutMs?: number;
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
    const probe = await probeApi(this.options.apiUrl, timeoutMs);
    return probe.reachable
      ? session.up({ ...base, apiReachable: true, apiResponseTimeMs: probe.responseTimeMs })
      : session.down({ ...base, apiReachable: false, reason: probe.reason, timeoutMs });
  }
}
