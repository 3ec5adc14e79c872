import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestSigningKey, HotglueEmulator } from '../../src/hotglue-testing/index.js';
import { signAppToken } from '../../src/sample/auth/index.js';
import { expectNoLeak } from '../support/leaks.js';
import { CapturedOutput, type SampleTestApp, startSampleTestApp } from './sample-test-app.js';

/**
 * Redaction end to end: hotglue's `Message` can echo a tenant's own OAuth token. The sample logs every
 * failed hotglue call at ERROR with the error's message; neither canary may reach that line (nor the
 * answer), while the line itself is logged, naming the route and the error.
 */
const AUTH_SECRET = 'canary-app-auth-secret-error-log-3f9a1c7e5b';
const PUBLIC_API_KEY = 'canary-public-api-key-error-log-7d2e';
const SECRET_API_KEY = 'canary-secret-api-key-error-log-1b8c';
/** What hotglue might echo: a provider access token after `Bearer`, and a bare 30-character opaque one. */
const BEARER_CANARY = 'at-CanaryBearer-4e7a9c1f';
const OPAQUE_CANARY = 'Op4queCanaryToken9x8w7v6u5t4s3'; // 30 token characters, no separator

const key = generateTestSigningKey('error-log-canary');
const output = new CapturedOutput();
let emulator: HotglueEmulator;
let sample: SampleTestApp;

beforeAll(async () => {
  expect(OPAQUE_CANARY).toHaveLength(30);
  output.captureProcessOutput();
  emulator = await HotglueEmulator.start({
    jwtPublicKeys: [key.publicKeyPem],
    publicApiKey: PUBLIC_API_KEY,
    secretApiKey: SECRET_API_KEY,
  });
  sample = await startSampleTestApp(
    {
      authSecret: AUTH_SECRET,
      hotglue: {
        envId: emulator.envId,
        signingKey: key.privateKeyBase64,
        publicApiKey: PUBLIC_API_KEY,
        secretApiKey: SECRET_API_KEY,
        apiUrl: emulator.url,
        flowId: emulator.defaultFlowId,
      },
      rateLimit: { limit: 1000, ttlMs: 60_000 },
    },
    output,
  );
});

afterAll(async () => {
  await sample?.close();
  await emulator?.close();
  output.stop();
});

describe("sample ERROR log: hotglue's Message never carries a tenant's token into it", () => {
  it('logs the failed call at ERROR, without the Bearer canary or the opaque token canary', async () => {
    emulator.injectFault(
      {
        kind: 'status',
        status: 400,
        body: {
          Code: 'BadRequestError',
          Message:
            `Provider refused the request (headers: Authorization: Bearer ${BEARER_CANARY}); ` +
            `stored access token ${OPAQUE_CANARY} is not valid for this tenant`,
        },
      },
      { path: /\/acme\/linkedSources$/, times: Number.POSITIVE_INFINITY },
    );
    const user = signAppToken(AUTH_SECRET, { sub: 'user-1', tenants: ['acme'] });
    const response = await fetch(`${sample.url}/hotglue/linked-sources?tenantId=acme`, {
      headers: { authorization: `Bearer ${user}` },
    });
    const body = await response.text();
    expect(response.status).toBe(502);
    // The hotglue call really happened and failed with that Message.
    expect(emulator.requests.some((r) => r.path.endsWith('/acme/linkedSources') && r.status === 400)).toBe(
      true,
    );

    const errors = output.lines.filter((line) => line.startsWith('ERROR'));
    const line = errors.find((l) => l.includes('/hotglue/linked-sources failed: HotglueApiError'));
    expect(line, errors.join('\n')).toBeDefined();
    // What is left of hotglue's text still says what happened.
    expect(line).toContain('Provider refused the request');
    expect(line).toContain('BadRequestError');
    expectNoLeak(output.text(), [BEARER_CANARY, OPAQUE_CANARY, SECRET_API_KEY, PUBLIC_API_KEY], 'sample log');
    expectNoLeak(body, [BEARER_CANARY, OPAQUE_CANARY], 'response body');
  });
});
