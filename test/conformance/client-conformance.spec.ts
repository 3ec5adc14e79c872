import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HotglueClient } from '../../src/hotglue/index.js';
import {
  CANARY_PUBLIC_KEY,
  CANARY_SECRET_KEY,
  createClient,
  ENV_ID,
  FLOW_ID,
} from '../client/client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from '../client/scripted-server.js';
import { OPERATIONS, type OperationContext, pathOf, shapeProblems } from './operations.js';

/**
 * The client against the conformance table: for every row and auth mode, the request it sends (method,
 * path, query, body, key, token) as captured on a loopback server, and that it parses the row's documented
 * response (the server answers the row's example).
 */
const ctx: OperationContext = {
  tenant: 'acme.corp@eu:1',
  v1: FLOW_ID,
  v2: 'Fv2Flow01',
  jobRoot: 'acme.corp@eu:1/flows/l8odS2mce/jobs/2026/01/1/01/00/abc',
  taskId: '8d0c3bd2-6f7a-4d55-9b1e-1f0a2c3d4e5f',
};

let server: ScriptedServer;
let client: HotglueClient;
let close: () => Promise<void>;
/** The example the server answers with, set per case. */
let answer: unknown = {};

beforeAll(async () => {
  server = await startScriptedServer((_req, res) => json(res, 200, answer));
  ({ client, close } = await createClient(server.url, { http: { maxAttempts: 1 } }));
});

afterAll(async () => {
  await close();
  await server.close();
});

/** The claims of a compact JWT (not verified: the client's token service signed it). */
function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
}

const cases = OPERATIONS.flatMap((row) =>
  row.auth.map((auth) => [`${row.operation} (${auth})`, row, auth] as const),
);

describe('HotglueClient conforms to the operations table', () => {
  it.each(cases)('%s', async (_name, row, auth) => {
    answer = row.example;
    server.requests.length = 0;
    const result = await row.call(client, ctx, auth);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    const sample = row.sample(ctx);
    const url = new URL(request.url, server.url);

    expect(request.method).toBe(row.method);
    expect(url.pathname).toBe(pathOf(row, ENV_ID, ctx));

    const query = Object.fromEntries(url.searchParams);
    const { token, ...rest } = query;
    expect(rest).toEqual(sample.query);
    for (const name of Object.keys(rest)) expect(row.query).toContain(name);

    if (sample.body === undefined) expect(request.body).toBe('');
    else {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      expect(body).toEqual(sample.body);
      for (const name of Object.keys(body)) expect(row.body ?? []).toContain(name);
      expect(request.headers['content-type']).toBe('application/json');
    }

    expect(request.headers['x-api-key']).toBe(auth === 'secret' ? CANARY_SECRET_KEY : CANARY_PUBLIC_KEY);
    if (auth === 'tenant' && row.tenant !== 'none') {
      expect(token).toMatch(/^eyJ/);
      expect(claims(token!).sub).toBe(ctx.tenant);
    } else expect(token).toBeUndefined();

    expect(
      shapeProblems(result, {
        kind: row.parsedKind ?? row.response.kind,
        fields: row.parsed ?? row.response.fields,
      }),
    ).toEqual([]);
  });
});
