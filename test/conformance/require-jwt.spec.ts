import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotglueClient } from '../../src/hotglue/index.js';
import { generateTestSigningKey, type HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { createClient } from '../client/client-harness.js';
import { signToken } from '../emulator/emulator-helpers.js';
import {
  type ConformanceEmulator,
  seedTenant,
  sendRaw,
  startConformanceEmulator,
} from './emulator-fixture.js';
import { OPERATIONS, type OperationRow, pathOf } from './operations.js';

/**
 * Require-JWT environments: against an emulator with `requireJwt: true`, every tenant-mode
 * operation of the conformance table succeeds through `HotglueClient`; the same requests with the public
 * key alone are refused 401 `{ Code, Message }` on every row that names a tenant, and so are they with
 * another tenant's token. The rows come from the table, whose coverage spec fails for a client method
 * without one.
 */
const tenantRows = OPERATIONS.filter((row) => row.auth.includes('tenant'));
const naming = tenantRows.filter((row) => row.tenant !== 'none');
const key = generateTestSigningKey();

let emulator: HotglueEmulator;
let conformance: ConformanceEmulator;
let client: HotglueClient;
let close: () => Promise<void>;
let tenants = 0;

beforeAll(async () => {
  conformance = await startConformanceEmulator({ jwtPublicKeys: [key.publicKey], requireJwt: true });
  emulator = conformance.emulator;
  ({ client, close } = await createClient(emulator.url, {
    envId: emulator.envId,
    signingKey: key.privateKeyBase64,
    publicApiKey: emulator.publicApiKey,
    // No secret key: tenant mode is the default and nothing can fall back to the secret key.
    secretApiKey: undefined,
    flowId: emulator.defaultFlowId,
    http: { maxAttempts: 1 },
  }));
});

afterAll(async () => {
  await close();
  await emulator.close();
});

async function prepare(row: OperationRow) {
  const ctx = await seedTenant(conformance, `jwt-${++tenants}`);
  const sample = row.sample(ctx);
  const http = {
    method: row.method,
    path: pathOf(row, emulator.envId, ctx),
    query: sample.query,
    body: sample.body,
  };
  return { ctx, http };
}

describe('requireJwt: true', () => {
  it('covers every tenant-mode operation of the table, most of them tenant-specific', () => {
    expect(tenantRows.length).toBeGreaterThanOrEqual(27);
    expect(naming.length).toBeGreaterThanOrEqual(21);
  });

  it.each(tenantRows.map((row) => [row.operation, row] as const))(
    '%s succeeds in tenant mode (public key + the tenant token where it names a tenant)',
    async (_name, row) => {
      const { ctx } = await prepare(row);
      emulator.clearRequests();
      await expect(row.call(client, ctx, 'tenant')).resolves.toBeDefined();
      expect(emulator.requests).toHaveLength(1);
      expect(emulator.requests[0]).toMatchObject({
        keyKind: 'public',
        token: row.tenant === 'none' ? 'absent' : 'valid',
        status: 200,
      });
    },
  );

  it.each(naming.map((row) => [row.operation, row] as const))(
    '%s with the public key alone is refused 401 { Code, Message }',
    async (_name, row) => {
      const { http } = await prepare(row);
      const answer = await sendRaw(emulator, http, 'public');
      expect(answer).toEqual({
        status: 401,
        json: { Code: 'UnauthorizedError', Message: expect.stringMatching(/token/i) },
      });
    },
  );

  it.each(naming.map((row) => [row.operation, row] as const))(
    "%s with another tenant's token is refused",
    async (_name, row) => {
      const { http } = await prepare(row);
      const answer = await sendRaw(emulator, http, 'public', await signToken(key.privateKey, 'someone-else'));
      expect(answer).toEqual({
        status: 403,
        json: { Code: 'ForbiddenError', Message: 'Token was issued for another tenant' },
      });
    },
  );

  it.each(naming.map((row) => [row.operation, row] as const))(
    '%s with an expired token for the tenant is refused 401',
    async (_name, row) => {
      const { ctx, http } = await prepare(row);
      const expired = await signToken(key.privateKey, ctx.tenant, { expiresIn: -600 });
      const answer = await sendRaw(emulator, http, 'public', expired);
      expect(answer).toMatchObject({ status: 401, json: { Code: 'UnauthorizedError' } });
    },
  );

  it.each(tenantRows.filter((row) => row.tenant === 'none').map((row) => [row.operation, row] as const))(
    '%s names no tenant: the public key alone is enough',
    async (_name, row) => {
      const { http } = await prepare(row);
      expect((await sendRaw(emulator, http, 'public')).status).toBe(200);
    },
  );
});
