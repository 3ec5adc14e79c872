import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Cron, CronExpression } from '@nestjs/schedule';
import { getHotglueEnvironment, type HotglueClient } from '../../hotglue/index.js';
import { logSafe } from '../http/log-safe.js';
import { SAMPLE_OPTIONS, type SampleAppOptions } from '../sample-options.js';
import { syncLinkedTenants, type TenantSyncResult } from './tenant-sync.js';

/** Name of the cron job in `SchedulerRegistry` (to pause it or read its next run). */
export const TENANT_SYNC_JOB = 'hotglue-tenant-sync';

/**
 * The "injected into jobs" example: every hour, start a hotglue job for each tenant with a linked source and
 * wait for it. The client is the one of `jobs.environment` (a named environment, resolved by name with
 * `getHotglueEnvironment`), or the unnamed one. A run that is still going when the next is due is not
 * doubled: the next one is skipped.
 */
@Injectable()
export class TenantSyncJob implements OnModuleInit {
  private readonly logger = new Logger('TenantSyncJob');
  private client!: HotglueClient;
  private running: Promise<TenantSyncResult[]> | undefined;

  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Inject(SAMPLE_OPTIONS) private readonly options: SampleAppOptions,
  ) {}

  onModuleInit(): void {
    // Fails start-up (not the first run, an hour later) when the environment is not registered.
    this.client = getHotglueEnvironment(this.moduleRef, this.options.jobs?.environment).client;
  }

  /** The scheduled entry point. Specs and admin endpoints call `run()` directly. */
  @Cron(CronExpression.EVERY_HOUR, { name: TENANT_SYNC_JOB })
  async onSchedule(): Promise<void> {
    if (this.running) {
      this.logger.warn('previous tenant sync still running; this run is skipped.');
      return;
    }
    await this.run();
  }

  /** Runs one sync now and resolves to one result per tenant; joins a run already in progress. */
  run(): Promise<TenantSyncResult[]> {
    this.running ??= this.execute().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async execute(): Promise<TenantSyncResult[]> {
    const jobs = this.options.jobs ?? {};
    const results = await syncLinkedTenants(this.client, {
      concurrency: jobs.concurrency ?? 4,
      pollIntervalMs: jobs.pollIntervalMs ?? 2_000,
      maxPollIntervalMs: jobs.maxPollIntervalMs ?? 15_000,
      jobTimeoutMs: jobs.jobTimeoutMs ?? 30 * 60_000,
    });
    const count = (outcome: TenantSyncResult['outcome']) =>
      results.filter((r) => r.outcome === outcome).length;
    this.logger.log(
      `tenant sync: ${count('completed')} completed, ${count('failed')} failed, ${count('error')} errors, ${count('skipped')} without a linked source`,
    );
    for (const result of results) {
      // Tenant ids and statuses come from hotglue: escaped like every outside text that reaches a log line.
      const detail =
        result.outcome === 'failed' ? result.status : result.outcome === 'error' ? result.error : undefined;
      if (detail !== undefined)
        this.logger.warn(`tenant "${logSafe(result.tenantId)}": ${result.outcome} "${logSafe(detail)}"`);
    }
    return results;
  }
}
