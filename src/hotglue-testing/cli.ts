/**
 * `npm run emulator`: runs HotglueEmulator standalone until Ctrl+C and prints how to reach it.
 *
 * Environment (all optional):
 * - `EMULATOR_HOST` / `EMULATOR_PORT`: where to listen (default 127.0.0.1:4010; `0` picks a free port).
 * - `HOTGLUE_ENV_ID`, `HOTGLUE_PUBLIC_API_KEY`, `HOTGLUE_SECRET_API_KEY`: fixed ids and keys (default: random keys).
 * - `HOTGLUE_SIGNING_KEY` or `HOTGLUE_SIGNING_KEY_FILE`: the private key your app signs with; the emulator
 *   trusts its public half. Without either, a key is generated and written (base64 PEM, mode 0600) to a file
 *   whose PATH is printed, so the app can use `HOTGLUE_SIGNING_KEY_FILE`; the file is removed on Ctrl+C.
 * - `EMULATOR_REQUIRE_JWT=false`: accept public-key tenant calls without a token.
 * - `EMULATOR_WEBHOOK_URL` / `EMULATOR_WEBHOOK_SECRET`: job, discover and connection webhooks.
 * - `EMULATOR_VERBOSE=1`: one line per request on stderr (tokens redacted, keys never printed).
 */
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSigningKey } from '../hotglue/index.js';
import { HotglueEmulator } from './hotglue-emulator.js';
import { generateTestSigningKey } from './signing-keys.js';

/** The key to trust and a description of where it came from (never the key itself). */
/** Directory of a generated key file, removed on exit. */
let generatedDir: string | undefined;

function trustedKey(env: NodeJS.ProcessEnv): { key: KeyObject; origin: string } {
  const fromEnv = env.HOTGLUE_SIGNING_KEY_FILE
    ? { input: readFileSync(env.HOTGLUE_SIGNING_KEY_FILE), name: 'HOTGLUE_SIGNING_KEY_FILE' }
    : env.HOTGLUE_SIGNING_KEY
      ? { input: env.HOTGLUE_SIGNING_KEY, name: 'HOTGLUE_SIGNING_KEY' }
      : undefined;
  if (fromEnv) {
    const parsed = parseSigningKey(fromEnv.input, fromEnv.name);
    return { key: parsed.publicKey, origin: `${fromEnv.name} (${parsed.fingerprint})` };
  }
  const generated = generateTestSigningKey('emulator-cli');
  const dir = mkdtempSync(join(tmpdir(), 'hotglue-emulator-'));
  generatedDir = dir;
  const file = join(dir, 'signing-key.b64');
  writeFileSync(file, generated.privateKeyBase64, { mode: 0o600 });
  return {
    key: generated.publicKey,
    origin: `generated; private key written to ${file} (use HOTGLUE_SIGNING_KEY_FILE=${file})`,
  };
}

const env = process.env;
const { key, origin } = trustedKey(env);
const verbose = env.EMULATOR_VERBOSE === '1' || env.EMULATOR_VERBOSE === 'true';
const emulator = await HotglueEmulator.start({
  host: env.EMULATOR_HOST ?? '127.0.0.1',
  port: Number(env.EMULATOR_PORT ?? 4010),
  ...(env.HOTGLUE_ENV_ID ? { envId: env.HOTGLUE_ENV_ID } : {}),
  ...(env.HOTGLUE_PUBLIC_API_KEY ? { publicApiKey: env.HOTGLUE_PUBLIC_API_KEY } : {}),
  ...(env.HOTGLUE_SECRET_API_KEY ? { secretApiKey: env.HOTGLUE_SECRET_API_KEY } : {}),
  jwtPublicKeys: [key],
  requireJwt: env.EMULATOR_REQUIRE_JWT !== 'false',
  ...(env.EMULATOR_WEBHOOK_URL
    ? { webhook: { url: env.EMULATOR_WEBHOOK_URL, secret: env.EMULATOR_WEBHOOK_SECRET } }
    : {}),
  ...(verbose ? { logger: (line: string) => process.stderr.write(`${line}\n`) } : {}),
});

// These are the emulator's own throw-away keys: printing them is the point of this command.
console.log(
  [
    'hotglue emulator running',
    `  HOTGLUE_API_URL=${emulator.url}`,
    `  HOTGLUE_ENV_ID=${emulator.envId}`,
    `  HOTGLUE_PUBLIC_API_KEY=${emulator.publicApiKey}`,
    `  HOTGLUE_SECRET_API_KEY=${emulator.secretApiKey}`,
    `  HOTGLUE_FLOW_ID=${emulator.defaultFlowId}   (V2 flow: ${emulator.defaultV2FlowId})`,
    `  trusted signing key: ${origin}`,
    'Ctrl+C to stop.',
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => {
      if (generatedDir) rmSync(generatedDir, { recursive: true, force: true });
      process.exit(0);
    });
  });
}
