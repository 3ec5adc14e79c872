import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotglueClient } from '../../src/hotglue/index.js';
import { createClient } from './client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from './scripted-server.js';

/**
 * Answers in the shapes hotglue's pages and hotglue's own code show, where they differ from the rest of the
 * API: the client gives each one shape.
 */
let server: ScriptedServer;
let client: HotglueClient;
let close: () => Promise<void>;
let answer: unknown = {};

beforeAll(async () => {
  server = await startScriptedServer((_req, res) => json(res, 200, answer));
  ({ client, close } = await createClient(server.url, { http: { maxAttempts: 1 } }));
});
afterAll(async () => {
  await close();
  await server.close();
});

describe('getJobStatus / waitForJob: flow_id from flow', () => {
  // https://docs.hotglue.com/api-reference/jobs/poll-job-status.md: `flow`, no `flow_id`.
  const polled = { job_id: '37g_DK', s3_root: 'acme/flows/l8odS2mce/jobs/x', status: 'JOB_COMPLETED' };

  it('fills flow_id from a flow string, or from a flow object id', async () => {
    answer = { ...polled, flow: 'l8odS2mce' };
    expect(await client.getJobStatus('acme', polled.s3_root)).toMatchObject({
      flow: 'l8odS2mce',
      flow_id: 'l8odS2mce',
    });
    answer = { ...polled, flow: { id: 'l8odS2mce', name: 'Salesforce' } };
    expect((await client.waitForJob('acme', polled.s3_root)).flow_id).toBe('l8odS2mce');
  });

  it('keeps a flow_id hotglue sent', async () => {
    answer = { ...polled, flow_id: 'own', flow: 'l8odS2mce' };
    expect((await client.getJobStatus('acme', polled.s3_root)).flow_id).toBe('own');
  });
});

describe('listTenants: one shape for strings or objects', () => {
  it('gives tenant id strings and tenant objects as { id, ... }', async () => {
    answer = ['acme', 'globex'];
    expect(await client.listTenants()).toEqual([{ id: 'acme' }, { id: 'globex' }]);
    answer = [{ id: 'acme', name: 'Acme' }, { tenant: 'globex' }, { tenant_id: 'initech' }, { name: 'x' }, 3];
    expect(await client.listTenants()).toEqual([
      { id: 'acme', name: 'Acme' },
      { tenant: 'globex', id: 'globex' },
      { tenant_id: 'initech', id: 'initech' },
    ]);
  });
});
