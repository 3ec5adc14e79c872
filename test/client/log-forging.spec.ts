import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HotglueApiError, type HotglueClient } from '../../src/hotglue/index.js';
import { CANARY_SECRET_KEY, createClient } from './client-harness.js';
import { json, type ScriptedServer, startScriptedServer } from './scripted-server.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// An upstream error crafted to forge a second log line and to clear an operator's terminal.
const FORGED_LINE = '\r\n[Nest] 1  - 01/01/2026, 00:00:00   LOG [Auth] admin logged in';
const TERMINAL = '\u001b[2J\u001b[31m\u009b0m';

describe('upstream text in errors (log forging)', () => {
  let server: ScriptedServer;
  let client: HotglueClient;
  let close: () => Promise<void>;

  beforeAll(async () => {
    server = await startScriptedServer((req, res) => {
      const echoedKey = Buffer.from(String(req.headers['x-api-key'])).toString('base64');
      json(res, 400, {
        Code: `BadRequestError${FORGED_LINE}`,
        Message: `ChaliceViewError: invalid flow${FORGED_LINE}${TERMINAL} (key ${echoedKey})\u2028next`,
      });
    });
    ({ client, close } = await createClient(server.url));
  });

  afterAll(async () => {
    await close();
    await server.close();
  });

  it('escapes control characters in hotglue Code and Message, and redacts an echoed key in base64', async () => {
    const error = await client.getLinkedSources('acme', { auth: 'secret' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HotglueApiError);
    const apiError = error as HotglueApiError;
    for (const text of [apiError.message, apiError.hotglueCode ?? '', apiError.hotglueMessage ?? '']) {
      expect(text).not.toMatch(CONTROL);
    }
    expect(apiError.message).toContain('invalid flow\\r\\n[Nest] 1');
    expect(apiError.hotglueMessage).toContain('\\x1b[2J\\x1b[31m\\x9b0m');
    expect(apiError.message).toContain('\\u2028next');
    expect(apiError.message).not.toContain(Buffer.from(CANARY_SECRET_KEY).toString('base64'));
    expect(apiError.message).toContain('(key [REDACTED])');
  });
});
