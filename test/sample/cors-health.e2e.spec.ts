import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { CapturedOutput, type SampleTestApp, startSampleTestApp } from './sample-test-app.js';

const AUTH_SECRET = 'cors-health-secret-0123456789abcdef';
const key = generateTestSigningKey('sample-cors-health');
const output = new CapturedOutput();
let deadApi: string;
let blackHole: Server;
let sample: SampleTestApp;

beforeAll(async () => {
  // A port that accepts connections and never answers: the API "hangs".
  blackHole = createServer(() => {});
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const address = blackHole.address();
  deadApi = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  sample = await startSampleTestApp(
    {
      authSecret: AUTH_SECRET,
      hotglue: {
        envId: 'dev.example.hotglue.xyz',
        signingKey: key.privateKeyBase64,
        secretApiKey: 'cors-health-secret-api-key',
        apiUrl: deadApi,
        flowId: 'flow1',
        http: { timeoutMs: 300, attemptTimeoutMs: 300, maxAttempts: 1 },
      },
      corsOrigins: ['https://app.example.com'],
      docs: false,
    },
    output,
  );
});

afterAll(async () => {
  await sample?.close();
  blackHole?.close();
});

describe('CORS allow-list (APP_CORS_ORIGINS)', () => {
  it('allows a listed origin, GET only, Authorization header only', async () => {
    const preflight = await fetch(`${sample.url}/hotglue/token`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('does not allow another origin', async () => {
    const response = await fetch(`${sample.url}/hotglue/token`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('when hotglue does not answer', () => {
  it('GET /health is 503 with the key still reported, within the short timeout', async () => {
    const started = Date.now();
    const response = await fetch(`${sample.url}/health`);
    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(4000);
    const body = (await response.json()) as { error: Record<string, Record<string, unknown>> };
    expect(body.error.hotglue).toMatchObject({
      status: 'down',
      keyLoaded: true,
      apiReachable: false,
      reason: 'timeout',
    });
  }, 10_000);

  it('GET /hotglue/linked-sources is a generic 502', async () => {
    const bearer = signAppToken(AUTH_SECRET, { sub: 'u', tenants: ['acme'] });
    const response = await fetch(`${sample.url}/hotglue/linked-sources`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({
      statusCode: 502,
      message: 'The hotglue request failed.',
      error: 'Bad Gateway',
    });
    expect(output.text()).toContain('GET /hotglue/linked-sources failed: Hotglue');
    expect(output.text()).not.toContain('cors-health-secret-api-key');
  }, 10_000);
});
