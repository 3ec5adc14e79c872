import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HotglueClient, type HotglueTokenService } from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { CapturingLogger, describeError } from '../support/capturing-logger.js';
import { expectNoLeak, pemSecretForms } from '../support/leaks.js';
import { CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, createClient } from './client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from './scripted-server.js';

describe('HotglueClient never leaks canary secrets', () => {
  const capture = new CapturingLogger();
  const minted: string[] = [];
  let server: ScriptedServer;
  let client: HotglueClient;
  let tokens: HotglueTokenService;
  let close: () => Promise<void>;
  let echo = '';

  beforeAll(async () => {
    // The server is hostile: it echoes the key and the token it received into its error messages and headers.
    server = await startScriptedServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      echo = `key=${req.headers['x-api-key']} token=${url.searchParams.get('token')}`;
      if (url.pathname.includes('/reset')) return req.socket.destroy();
      if (url.pathname.includes('/stall')) return;
      const status = url.pathname.includes('jobs') ? 503 : 401;
      json(
        res,
        status,
        { Code: 'UnauthorizedError', Message: `ChaliceViewError: bad ${echo} raw ${req.url}` },
        {
          'x-echo': encodeURIComponent(echo),
        },
      );
    });
    ({ client, tokens, close } = await createClient(
      server.url,
      {
        http: { backoffBaseMs: 1, backoffMaxMs: 5, attemptTimeoutMs: 150, timeoutMs: 2000 },
      },
      capture,
    ));
    const originalCreate = tokens.createToken.bind(tokens);
    tokens.createToken = async (tenantId, options) => {
      const token = await originalCreate(tenantId, options);
      minted.push(token.token);
      return token;
    };
  });

  afterAll(async () => {
    await close();
    await server.close();
    Logger.overrideLogger(false);
  });

  it('in errors, causes and log lines', async () => {
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (error) {
        errors.push(error);
      }
    };
    await attempt(() => client.getLinkedSources('acme', { auth: 'tenant' }));
    await attempt(() => client.getLinkedSources('acme', { auth: 'secret', config: true }));
    await attempt(() => client.getLinkedConnectors('acme', { auth: 'tenant' }));
    await attempt(() => client.getLinkedFlows('acme', { auth: 'tenant' }));
    await attempt(() => client.listJobs('acme', { auth: 'tenant' }));
    await attempt(() => client.runJob('acme', {}, { auth: 'tenant' }));
    await attempt(() => client.getConnectorAccessToken('acme', 'reset'));
    await attempt(() => client.getTenantConfig('acme'));
    await attempt(() => client.getLinkedSources('acme', { auth: 'tenant', flowId: 'stall' }));
    await attempt(() => client.writeRecords('acme', 'c', 'stall', { data: {} }));
    expect(errors).toHaveLength(10);
    const names = new Set(errors.map((e) => (e as Error).name));
    expect([...names].sort()).toEqual(['HotglueApiError', 'HotglueNetworkError', 'HotglueTimeoutError']);
    expect(minted.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.some((r) => /token=eyJ/.test(r.url))).toBe(true);
    expect(echo).toContain(CANARY_SECRET_KEY);

    const key = generateTestSigningKey();
    const secrets = [CANARY_PUBLIC_KEY, CANARY_SECRET_KEY, ...pemSecretForms(key.privateKeyPem), ...minted];
    for (const error of errors) expectNoLeak(describeError(error), secrets, `error ${(error as Error).name}`);
    const debugLines = capture.lines.filter((l) => l.startsWith('debug'));
    expect(debugLines.length).toBeGreaterThan(10);
    expect(debugLines.some((l) => l.includes('token=[REDACTED]'))).toBe(true);
    expectNoLeak(capture.lines.join('\n'), secrets, 'log lines');
    // Logging the client itself (console.log(client)) does not print a key or the last token either.
    expectNoLeak(inspect(client, { depth: 8 }), secrets, 'inspect(client)');
  });
});
