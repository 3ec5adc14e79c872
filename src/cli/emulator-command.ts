/**
 * The emulator command itself, shared by `hotglue-emulator` and `nestjs-hotglue emulator` (one code path,
 * so both print and behave the same). Runs until SIGINT / SIGTERM, then exits 0; exits 1 on a bad
 * setting or an unusable address, one line per problem prefixed with `prefix`, never a value.
 * See `hotglue-emulator.ts` for the variables it reads.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSigningKey } from '../hotglue/signing-key/load-signing-key.js';
import { generateTestSigningKey, HotglueEmulator } from '../hotglue-testing/index.js';
import { type KeyDir, openKeyDir } from './emulator-key-dir.js';
import { type EmulatorSettings, readEmulatorSettings, type SuppliedApiKey } from './emulator-settings.js';
import { keptFromFile, openWriteEnv, type WriteEnvTarget, writeEnvLines } from './emulator-write-env.js';

type Env = Record<string, string | undefined>;

/**
 * The key to trust, a line saying where it came from, what happens to it on exit, and the directory of a
 * generated throw-away key file (removed on exit). Order: the app's key, then `EMULATOR_KEY_DIR`'s, then a
 * key generated for this run.
 */
function trustedKey(
  settings: EmulatorSettings,
  keyDir: KeyDir | undefined,
  writeEnv: WriteEnvTarget | undefined,
): { key: KeyObject; origin: string; onExit: string; dir?: string; inline?: string } {
  if (settings.signingKey) {
    const { key, setting } = settings.signingKey;
    return {
      key: key.publicKey,
      origin: `${setting} (${key.fingerprint})`,
      onExit: 'Signing key: yours; nothing is removed on exit.',
    };
  }
  if (keyDir?.signingKey) {
    return {
      key: keyDir.signingKey.publicKey,
      origin: `HOTGLUE_SIGNING_KEY_FILE=${keyDir.signingKeyFile}`,
      onExit: `Signing key ${keyDir.signingKey.fingerprint}: kept in EMULATOR_KEY_DIR; nothing is removed on exit.`,
    };
  }
  const generated = generateTestSigningKey('emulator-cli');
  if (writeEnv) {
    // Written into the app's dotenv file as the key itself: no temporary file that vanishes on exit.
    return {
      key: generated.publicKey,
      origin: `HOTGLUE_SIGNING_KEY=${generated.privateKeyBase64}`,
      onExit: `Signing key ${loadSigningKey({ signingKey: generated.privateKeyBase64 }).fingerprint}: generated, kept in ${writeEnv.path}.`,
      inline: generated.privateKeyBase64,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'hotglue-emulator-'));
  const file = join(dir, 'signing-key.b64');
  writeFileSync(file, generated.privateKeyBase64, { mode: 0o600 });
  return {
    key: generated.publicKey,
    origin: `HOTGLUE_SIGNING_KEY_FILE=${file}`,
    onExit:
      `Signing key ${loadSigningKey({ signingKey: generated.privateKeyBase64 }).fingerprint}: generated for this run; its file is removed ` +
      'on exit. For values that stay valid after a restart, start with --write-env .env (writes and reuses ' +
      "your app's HOTGLUE_* lines) or EMULATOR_KEY_DIR=<dir>.",
    dir,
  };
}

/** A generated key is the emulator's own throw-away value: printing it is the point of this command. */
function keyLine(name: string, value: string, supplied: SuppliedApiKey | undefined): string {
  return supplied ? `  ${name}: yours (${supplied.fingerprint})` : `  ${name}=${value}`;
}

/**
 * Starts the emulator from `env` and keeps it running until a signal; never returns normally. `writeEnv`
 * (`--write-env`, else `EMULATOR_WRITE_ENV`) names a dotenv file to read kept values from and write the
 * HOTGLUE_* lines into (emulator-write-env.ts).
 */
export async function runEmulatorCommand(
  processEnv: Env,
  prefix = 'hotglue-emulator',
  writeEnvPath: string | undefined = processEnv.EMULATOR_WRITE_ENV || undefined,
): Promise<void> {
  const fail: (lines: string[]) => never = (lines) => {
    for (const line of lines) console.error(`${prefix}: ${line}`);
    process.exit(1);
  };
  let writeEnv: WriteEnvTarget | undefined;
  let env = processEnv;
  if (writeEnvPath !== undefined) {
    const opened = openWriteEnv(writeEnvPath);
    if (!opened.target) fail([opened.problem ?? `--write-env ${writeEnvPath}: cannot be used.`]);
    writeEnv = opened.target;
    env = { ...processEnv, ...keptFromFile(writeEnv, processEnv) };
  }
  const { settings, problems } = readEmulatorSettings(env);
  if (!settings) fail(problems);
  let keyDir: KeyDir | undefined;
  if (settings.keyDir) {
    const opened = openKeyDir(settings.keyDir, !settings.signingKey);
    if (!opened.keyDir) fail(opened.problems);
    keyDir = opened.keyDir;
  }
  const { key, origin, onExit, dir, inline } = trustedKey(settings, keyDir, writeEnv);
  // Supplied keys win; then the key directory's; else the emulator makes random ones.
  const publicApiKey = settings.publicApiKey?.value ?? keyDir?.publicApiKey;
  const secretApiKey = settings.secretApiKey?.value ?? keyDir?.secretApiKey;

  let emulator: HotglueEmulator;
  try {
    emulator = await HotglueEmulator.start({
      host: settings.host,
      port: settings.port,
      ...(settings.envId ? { envId: settings.envId } : {}),
      ...(publicApiKey ? { publicApiKey } : {}),
      ...(secretApiKey ? { secretApiKey } : {}),
      jwtPublicKeys: [key],
      requireJwt: settings.requireJwt,
      ...(settings.webhook ? { webhook: settings.webhook } : {}),
      ...(settings.allowedHosts ? { allowedHosts: [...settings.allowedHosts] } : {}),
      ...(settings.verbose ? { logger: (line: string) => process.stderr.write(`${line}\n`) } : {}),
    });
  } catch (error) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    // System errors (EADDRINUSE, EADDRNOTAVAIL, ENOTFOUND) name an address, never a secret.
    const code = (error as NodeJS.ErrnoException).code;
    fail([
      code
        ? `cannot listen on EMULATOR_HOST:EMULATOR_PORT ${settings.host}:${settings.port} (${code}).`
        : `failed to start (${error instanceof Error ? error.name : typeof error}).`,
    ]);
  }

  let written: string | undefined;
  if (writeEnv) {
    // Values set in the process environment stay there; everything else the app needs goes in the file.
    const fromProcess = (name: string) => processEnv[name] !== undefined && processEnv[name] !== '';
    const lines: Record<string, string> = {
      HOTGLUE_API_URL: emulator.url,
      HOTGLUE_ENV_ID: emulator.envId,
      HOTGLUE_PUBLIC_API_KEY: emulator.publicApiKey,
      HOTGLUE_SECRET_API_KEY: emulator.secretApiKey,
      HOTGLUE_FLOW_ID: emulator.defaultFlowId,
    };
    for (const name of ['HOTGLUE_ENV_ID', 'HOTGLUE_PUBLIC_API_KEY', 'HOTGLUE_SECRET_API_KEY'])
      if (fromProcess(name)) delete lines[name];
    const remove: string[] = [];
    if (inline !== undefined) {
      lines.HOTGLUE_SIGNING_KEY = inline;
      remove.push('HOTGLUE_SIGNING_KEY_FILE'); // a stale path of an earlier run; both set is an error
    } else if (keyDir?.signingKey) {
      lines.HOTGLUE_SIGNING_KEY_FILE = keyDir.signingKeyFile;
      remove.push('HOTGLUE_SIGNING_KEY');
    }
    try {
      writeEnvLines(writeEnv, lines, remove);
    } catch (error) {
      await emulator.close();
      const code = (error as NodeJS.ErrnoException).code;
      fail([`--write-env ${writeEnvPath}: cannot write ${writeEnv.path} (${code ?? 'error'}).`]);
    }
    written = `Wrote ${Object.keys(lines).join(', ')} to ${writeEnv.path} (other lines untouched); a restart with the same --write-env reuses them.`;
  }

  console.log(
    [
      'hotglue emulator running',
      `  HOTGLUE_API_URL=${emulator.url}`,
      `  HOTGLUE_ENV_ID=${emulator.envId}`,
      keyLine('HOTGLUE_PUBLIC_API_KEY', emulator.publicApiKey, settings.publicApiKey),
      keyLine('HOTGLUE_SECRET_API_KEY', emulator.secretApiKey, settings.secretApiKey),
      `  HOTGLUE_FLOW_ID=${emulator.defaultFlowId}`,
      // A generated or kept key's file goes in the block as a variable; a key you gave is named, never shown.
      settings.signingKey && !inline ? `  signing key: yours, ${origin}` : `  ${origin}`,
      `V2 connector flow: ${emulator.defaultV2FlowId}.`,
      ...(keyDir
        ? [
            `Keys kept in ${keyDir.dir} (EMULATOR_KEY_DIR): ${
              keyDir.created.length > 0 ? `created ${keyDir.created.join(', ')}` : 'reused'
            }.`,
          ]
        : []),
      ...(written ? [written] : []),
      onExit,
      'Ctrl+C to stop.',
    ].join('\n'),
  );

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void emulator.close().then(() => {
        if (dir) rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
    });
  }
}
