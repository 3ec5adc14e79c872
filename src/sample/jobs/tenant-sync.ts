import type { HotglueApi, HotglueClient } from '../../hotglue/index.js';

/** How `syncLinkedTenants` runs. */
export interface TenantSyncSettings {
  /** Tenants synced at once; the rest wait, so a large environment never starts every job in one burst. */
  readonly concurrency: number;
  /** First wait between `waitForJob` polls, ms (it doubles up to `maxPollIntervalMs`). */
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
  /** Longest wait for one job, ms. */
  readonly jobTimeoutMs: number;
}

/** What happened to one tenant in a run. */
export type TenantSyncResult =
  | { readonly tenantId: string; readonly outcome: 'skipped' }
  | {
      readonly tenantId: string;
      readonly outcome: 'completed' | 'failed';
      readonly jobId?: string;
      readonly status: string;
    }
  | { readonly tenantId: string; readonly outcome: 'error'; readonly error: string };

/** The tenant id of a `listTenants` item (the client gives every item one shape, `{ id, ... }`). */
export function tenantIdOf(record: HotglueApi.HotglueTenantRecord): string | undefined {
  return record.id === '' ? undefined : record.id;
}

/**
 * One run of the sample's scheduled job: for every tenant of the environment that has a linked source in
 * the client's default flow, start a hotglue job and wait for it to finish (`waitForJob`). Tenants are
 * independent: one tenant's failure is recorded and the others go on. No Nest here; `TenantSyncJob`
 * schedules it.
 */
export async function syncLinkedTenants(
  client: HotglueClient,
  settings: TenantSyncSettings,
): Promise<TenantSyncResult[]> {
  const tenants = [...new Set((await client.listTenants()).map(tenantIdOf).filter((id) => id !== undefined))];
  const results: TenantSyncResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < tenants.length) {
      const tenantId = tenants[next++]!;
      results.push(await syncTenant(client, tenantId, settings));
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, tenants.length) }, worker));
  return results;
}

async function syncTenant(
  client: HotglueClient,
  tenantId: string,
  settings: TenantSyncSettings,
): Promise<TenantSyncResult> {
  try {
    const sources = await client.getLinkedSources(tenantId);
    if (sources.length === 0) return { tenantId, outcome: 'skipped' };
    const started: HotglueApi.HotglueJob = await client.runJob(tenantId);
    if (typeof started.s3_root !== 'string')
      return { tenantId, outcome: 'error', error: 'no job root in the answer' };
    const finished = await client.waitForJob(tenantId, started.s3_root, {
      intervalMs: settings.pollIntervalMs,
      maxIntervalMs: settings.maxPollIntervalMs,
      timeoutMs: settings.jobTimeoutMs,
    });
    const status = typeof finished.status === 'string' ? finished.status : 'UNKNOWN';
    return {
      tenantId,
      outcome: status.includes('COMPLETED') ? 'completed' : 'failed',
      ...(finished.job_id === undefined ? {} : { jobId: finished.job_id }),
      status,
    };
  } catch (error) {
    // The error's class and code only: its message is secret-free by design, but a summary needs no more.
    const code = (error as { code?: unknown }).code;
    return {
      tenantId,
      outcome: 'error',
      error: `${error instanceof Error ? error.name : 'Error'}${typeof code === 'string' ? ` (${code})` : ''}`,
    };
  }
}
