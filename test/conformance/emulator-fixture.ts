import type { HotglueEmulator } from '../../src/hotglue-testing/index.js';
import type { OperationContext } from './operations.js';

/**
 * Seeds `tenant` so every row's sample call can succeed on the emulator: a linked source, target and
 * connector (with OAuth credentials), a tenant config, a schedule and a job. Through the emulator's own
 * API with the secret key, so nothing here depends on what a row tests.
 */
export async function seedTenant(emulator: HotglueEmulator, tenant: string): Promise<OperationContext> {
  const credentials = { access_token: 'emu-at', refresh_token: 'emu-rt' };
  emulator.linkSource(undefined, tenant, { tap: 'hubspot', config: credentials });
  emulator.linkTarget(undefined, tenant, { target: 'target-csv', config: {} });
  emulator.linkConnector(undefined, tenant, { id: 'hubspot', config: credentials });
  emulator.setTenant(tenant, { mapping: {} });
  const v1 = emulator.defaultFlowId;
  const base = `${emulator.url}/${[emulator.envId, v1, tenant].map(encodeURIComponent).join('/')}`;
  const secret = { 'x-api-key': emulator.secretApiKey, 'content-type': 'application/json' };
  const schedule = await fetch(`${base}/jobs/schedule`, {
    method: 'PUT',
    headers: secret,
    body: JSON.stringify({ schedule_expression: 'cron(0 0 * * ? *)' }),
  });
  if (schedule.status !== 200) throw new Error(`seed: schedule answered ${schedule.status}`);
  const job = await fetch(`${base}/jobs`, { method: 'POST', headers: secret, body: '{"tap":"hubspot"}' });
  if (job.status !== 200) throw new Error(`seed: job answered ${job.status}`);
  const { s3_root: jobRoot } = (await job.json()) as { s3_root: string };
  return { tenant, v1, v2: emulator.defaultV2FlowId, jobRoot };
}

/** Sends a row's request as raw HTTP: `key` decides `x-api-key`, `token` is appended when given. */
export async function sendRaw(
  emulator: HotglueEmulator,
  request: { method: string; path: string; query: Readonly<Record<string, string>>; body?: unknown },
  key: 'secret' | 'public',
  token?: string,
): Promise<{ status: number; json: unknown }> {
  const params = new URLSearchParams(request.query);
  if (token !== undefined) params.set('token', token);
  const search = params.size > 0 ? `?${params}` : '';
  const headers: Record<string, string> = {
    'x-api-key': key === 'secret' ? emulator.secretApiKey : emulator.publicApiKey,
  };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${emulator.url}${request.path}${search}`, {
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}
