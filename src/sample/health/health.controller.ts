import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { HotglueHealthIndicator } from '../../hotglue/health/index.js';

/** Readiness: the signing key is loaded and the hotglue API answers within 2 s (503 otherwise). */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HotglueHealthIndicator) private readonly hotglue: HotglueHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.hotglue.isHealthy('hotglue', { timeoutMs: 2000 })]);
  }
}
