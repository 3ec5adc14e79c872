import { SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueModule } from '../../src/hotglue/index.js';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { SampleAppModule } from '../../src/sample/app.module.js';
import { TENANT_SYNC_JOB, TenantSyncJob } from '../../src/sample/jobs/tenant-sync.job.js';
import type { TenantSyncResult } from '../../src/sample/jobs/tenant-sync.js';

const JOB_STEP_MS = 1000;
const key = generateTestSigningKey('tenant-sync');
let now = Date.now();
/** The EU emulator's clock: it moves only when the spec moves it, so no step of a job takes real time. */
const clock = () => now;
let eu: HotglueEmulator;
let us: HotglueEmulator;

beforeAll(async () => {
  eu = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey], clock, jobStepMs: JOB_STEP_MS });
  us = await HotglueEmulator.start({ jwtPublicKeys: [key.publicKey] });
  eu.linkSource(undefined, 'acme', { tap: 'salesforce' });
  eu.linkSource(undefined, 'globex', { tap: 'hubspot' });
  eu.setTenant('no-source');
  us.linkSource(undefined, 'us-only', { tap: 'salesforce' });
});
afterAll(async () => {
  await eu.close();
  await us.close();
});

const settingsOf = (emulator: HotglueEmulator) => ({
  envId: emulator.envId,
  signingKey: key.privateKeyBase64,
  publicApiKey: emulator.publicApiKey,
  secretApiKey: emulator.secretApiKey,
  apiUrl: emulator.url,
  flowId: emulator.defaultFlowId,
});

describe("TenantSyncJob (the sample's scheduled job)", () => {
  it('starts a job per tenant with a linked source in the named environment and waits for each', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        SampleAppModule.forRoot({
          authSecret: 'x'.repeat(32),
          hotglue: settingsOf(us),
          // The job is bound to the "eu" environment, registered beside the sample's unnamed one.
          imports: [HotglueModule.forRoot({ name: 'eu', isGlobal: true, ...settingsOf(eu) })],
          jobs: { environment: 'eu', pollIntervalMs: 1, maxPollIntervalMs: 2 },
        }),
      ],
    })
      .setLogger(false as never)
      .compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      // Registered with the scheduler under its name (it would fire hourly); the spec triggers it directly.
      expect(app.get(SchedulerRegistry).getCronJob(TENANT_SYNC_JOB)).toBeDefined();
      const job = app.get(TenantSyncJob);
      const run = job.run();
      expect(job.run()).toBe(run); // a second trigger joins the running sync
      // Both jobs start; then globex's fails at its sync step and the clock moves past the last step.
      await expect.poll(() => eu.jobs().length, { interval: 5 }).toBe(2);
      const globex = eu.jobs().find((j) => j.tenant === 'globex')!;
      eu.failJob(String(globex.s3_root), 'SYNC_FAILED');
      now += 10 * JOB_STEP_MS;
      const results = await run;

      const byTenant = Object.fromEntries(results.map((r) => [r.tenantId, r])) as Record<
        string,
        TenantSyncResult
      >;
      expect(Object.keys(byTenant).sort()).toEqual(['acme', 'globex', 'no-source']);
      expect(byTenant.acme).toMatchObject({
        outcome: 'completed',
        status: expect.stringContaining('COMPLETED'),
      });
      expect(byTenant.globex).toMatchObject({ outcome: 'failed', status: 'SYNC_FAILED' });
      expect(byTenant['no-source']).toEqual({ tenantId: 'no-source', outcome: 'skipped' });
      // It ran against the EU hotglue only.
      expect(eu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/jobs'))).toHaveLength(2);
      expect(us.requests).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
