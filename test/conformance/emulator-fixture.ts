import { HotglueEmulator, type HotglueEmulatorOptions } from '../../src/hotglue-testing/index.js';
import type { OperationContext } from './operations.js';

/** Clock time between two job steps in the conformance emulators. */
const STEP_MS = 1000;

/** An emulator whose clock the seed moves forward (by whole job steps), so async results are ready. */
export interface ConformanceEmulator {
  readonly emulator: HotglueEmulator;
  /** Moves the emulator clock `ms` ahead of real time (tokens stay valid: they live an hour). */
  advance(ms: number): void;
}

export async function startConformanceEmulator(
  options: HotglueEmulatorOptions,
): Promise<ConformanceEmulator> {
  let offset = 0;
  const emulator = await HotglueEmulator.start({
    ...options,
    jobStepMs: STEP_MS,
    clock: () => Date.now() + offset,
  });
  return {
    emulator,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/**
 * Seeds `tenant` so every row's sample call can succeed on the emulator: a linked source, target and
 * connector (with OAuth credentials), a tenant config, a schedule and a job. Through the emulator's own
 * API with the secret key, so nothing here depends on what a row tests.
 */
export async function seedTenant(
  { emulator, advance }: ConformanceEmulator,
  tenant: string,
): Promise<OperationContext> {
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
  const write = await fetch(`${base}/connectors/hubspot/contacts`, {
    method: 'POST',
    headers: secret,
    body: JSON.stringify({ data: { email: 'seed@example.com' }, async: true }),
  });
  if (write.status !== 200) throw new Error(`seed: async write answered ${write.status}`);
  const { taskId } = (await write.json()) as { taskId: string };
  // One job step later the async write's result is ready for its poll.
  advance(STEP_MS);
  return { tenant, v1, v2: emulator.defaultV2FlowId, jobRoot, taskId };
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
