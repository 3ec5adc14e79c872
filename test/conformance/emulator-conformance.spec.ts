import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, type HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signToken } from '../emulator/emulator-helpers.js';
import {
  type ConformanceEmulator,
  seedTenant,
  sendRaw,
  startConformanceEmulator,
} from './emulator-fixture.js';
import { OPERATIONS, type OperationRow, pathOf, shapeProblems } from './operations.js';

/**
 * The emulator against the conformance table: for every row and auth mode, a raw HTTP request built from
 * the row alone (method, path template, sample query and body, key, token) is served with 200 and the
 * row's documented response fields; a backend-only row refuses the public key.
 */
const key = generateTestSigningKey();
let emulator: HotglueEmulator;
let conformance: ConformanceEmulator;

beforeAll(async () => {
  conformance = await startConformanceEmulator({ jwtPublicKeys: [key.publicKey], requireJwt: true });
  emulator = conformance.emulator;
});
afterAll(() => emulator.close());

let tenants = 0;
/** A fresh, seeded tenant per case, so no row depends on another's side effects. */
async function request(row: OperationRow) {
  const ctx = await seedTenant(conformance, `conf-${++tenants}`);
  const sample = row.sample(ctx);
  return {
    ctx,
    http: {
      method: row.method,
      path: pathOf(row, emulator.envId, ctx),
      query: sample.query,
      body: sample.body,
    },
  };
}

const cases = OPERATIONS.flatMap((row) =>
  row.auth.map((auth) => [`${row.operation} (${auth})`, row, auth] as const),
);

describe('HotglueEmulator conforms to the operations table', () => {
  it.each(cases)('%s', async (_name, row, auth) => {
    const { ctx, http } = await request(row);
    const token =
      auth === 'tenant' && row.tenant !== 'none' ? await signToken(key.privateKey, ctx.tenant) : undefined;
    const answer = await sendRaw(emulator, http, auth === 'secret' ? 'secret' : 'public', token);
    expect(answer, JSON.stringify(answer.json)).toMatchObject({ status: 200 });
    expect(shapeProblems(answer.json, row.response)).toEqual([]);
  });

  it.each(
    OPERATIONS.filter((row) => !row.auth.includes('tenant')).map((row) => [row.operation, row] as const),
  )('%s refuses the public key (backend only), even with a valid token', async (_name, row) => {
    const { ctx, http } = await request(row);
    const answer = await sendRaw(emulator, http, 'public', await signToken(key.privateKey, ctx.tenant));
    expect(answer).toEqual({ status: 403, json: { Code: 'ForbiddenError', Message: expect.any(String) } });
  });
});
