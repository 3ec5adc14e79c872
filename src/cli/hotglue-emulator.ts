#!/usr/bin/env -S node --
/**
 * `hotglue-emulator` (`npx hotglue-emulator`; `npm run emulator` in this repository): runs HotglueEmulator
 * until Ctrl+C and prints the variables an app needs to use it.
 *
 * Environment (all optional):
 * - `EMULATOR_HOST` / `EMULATOR_PORT`: where to listen (default 127.0.0.1:4010; `0` picks a free port).
 * - `HOTGLUE_ENV_ID`, `HOTGLUE_PUBLIC_API_KEY`, `HOTGLUE_SECRET_API_KEY`: fixed ids and keys (default: random
 *   keys). A key you supply may be a real one, so only its fingerprint is printed; generated keys are printed.
 * - `HOTGLUE_SIGNING_KEY` or `HOTGLUE_SIGNING_KEY_FILE`: the private key your app signs with (read and
 *   checked by the library's own loader); the emulator trusts its public half. Without either, a key is
 *   generated and written (base64 PEM, mode 0600) to a temporary file whose path is printed; it is removed
 *   on Ctrl+C. A supplied key is never removed.
 * - `EMULATOR_KEY_DIR`: keep the generated signing key and API keys in this directory (created 0700, files
 *   0600) and reuse them on every later start, so the printed variables stay valid; never removed.
 * - `EMULATOR_REQUIRE_JWT`: `true` or `1` (default) needs a tenant token on every public-key call that names a
 *   tenant; `widget` only on the routes hotglue's widget sends one on (to run the real widget); `false` or `0`
 *   on none.
 * - `EMULATOR_WEBHOOK_URL` / `EMULATOR_WEBHOOK_SECRET`: where to send signed job, discover and connection webhooks.
 * - `EMULATOR_VERBOSE=1`: one line per request on stderr (tokens redacted, keys never printed).
 * - `EMULATOR_ALLOWED_HOSTS`: extra `Host` names to answer (comma-separated, `*` for any) behind a proxy;
 *   on loopback every other name is refused with 421 (DNS-rebinding defence).
 *
 * `--write-env <path>` (or `EMULATOR_WRITE_ENV=<path>`): write the HOTGLUE_* lines into that dotenv file (other
 *   lines untouched) and reuse its values on the next start, so the app's `.env` survives restarts
 *   (emulator-write-env.ts). Not `--env-file`: Node owns that name.
 *
 * `--help` / `-h` prints the help (`EMULATOR_HELP` in cli-help.ts) and exits 0; any other argument exits 2.
 *
 * Exit codes: 0 after Ctrl+C / SIGTERM; 1 when a setting is invalid or the address cannot be used (one line
 * per problem, naming the variable, never its value).
 *
 * The shebang passes `--` to Node so that Node does not read `--env-file` (and the `NODE_OPTIONS` such a file
 * holds) from this script's arguments before the code above runs; the argument then exits 2 like any other.
 */
import { EMULATOR_HELP } from './cli-help.js';
import { runEmulatorCommand } from './emulator-command.js';

const argv = process.argv.slice(2);
/** `--write-env <path>` or `--write-env=<path>`, alone; undefined when absent, null when malformed. */
function writeEnvArgument(args: string[]): string | undefined | null {
  if (args.length === 0) return undefined;
  if (args.length === 1 && args[0]?.startsWith('--write-env=')) return args[0].slice(12) || null;
  if (args.length === 2 && args[0] === '--write-env' && args[1] !== '' && !args[1]?.startsWith('-'))
    return args[1];
  return null;
}
const writeEnv = writeEnvArgument(argv);
if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
  console.log(EMULATOR_HELP);
} else if (writeEnv === null) {
  // Anything else is a mistake, and it is never echoed (it may be a pasted secret).
  console.error(
    'hotglue-emulator: takes only --write-env <path> (other settings are EMULATOR_* / HOTGLUE_* variables).\n' +
      'Run hotglue-emulator --help for usage.',
  );
  process.exitCode = 2;
} else {
  // No top-level await: the bins also ship in the CommonJS build. A rejection still ends the process.
  void runEmulatorCommand(
    process.env,
    'hotglue-emulator',
    writeEnv ?? (process.env.EMULATOR_WRITE_ENV || undefined),
  );
}
