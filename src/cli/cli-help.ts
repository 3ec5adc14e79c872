/** Exit codes of `nestjs-hotglue`, documented in `--help` and docs/operations.md. */
export const EXIT = {
  /** The command did what was asked (`check-config`: the configuration is valid; `verify`: the token is). */
  ok: 0,
  /** The configuration is invalid: the problem list goes to stderr, as at boot. */
  config: 1,
  /** Bad usage: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** `verify`: the token was refused (reason on stderr). */
  refused: 3,
  /** `mint` with `NODE_ENV=production` and no `--force`. */
  production: 4,
  /** `webhooks-failed` / `webhooks-retry`: the webhook queue's Redis did not answer. */
  unavailable: 5,
} as const;

const COMMON = `Options for every command:
  --name <env>   use the named environment <env>: reads HOTGLUE_<ENV>_* instead of HOTGLUE_*
  -h, --help     show help

Settings come from the environment and, as ConfigModule.forRoot() reads them, from .env in the
working directory when it exists (variables already set win; emulator excepted):
  --dotenv <path>     read this file instead of .env (it must exist; dotenv's grammar, at most 1 MiB,
                      a regular file). Node's own --env-file is refused: Node would act on it first.

Exit codes: 0 ok, 1 invalid configuration, 2 bad usage, 3 token refused (verify),
4 refused in production (mint), 5 webhook queue's Redis unavailable. Values of secret settings are never printed.`;

/** One help text per command, plus the overview (`''`). */
export const HELP: Record<string, string> = {
  '': `nestjs-hotglue <command> [options]

Commands:
  check-config             validate the HOTGLUE_* settings offline (never calls hotglue)
  mint <tenantId>          sign a tenant token and print it alone (development and debugging)
  verify <token>           check a token against the configured key; prints its claims
  fingerprint              print the configured signing key's fingerprint (sha256:...)
  emulator                 run the hotglue emulator (same as hotglue-emulator)
  webhooks-failed          list the webhook queue's failed deliveries (queue mode) as JSON
  webhooks-retry [ids...]  move failed deliveries (all, or the given ids) back to the webhook queue

Run nestjs-hotglue <command> --help for a command's options.

${COMMON}`,
  'check-config': `nestjs-hotglue check-config [--name <env>]

Validates the settings exactly as HotglueModule does at boot (ids, URL, TTL, and the signing key, read
and checked but never printed) without calling hotglue. Prints a one-line summary and exits 0, or prints
the same problem list as a failed boot and exits 1. Use it as a pipeline step before a deploy.

${COMMON}`,
  mint: `nestjs-hotglue mint <tenantId> [--ttl <seconds>] [--force] [--name <env>]

Signs a token for <tenantId> with the configured key and prints the token alone on stdout, e.g.
  curl "$HOTGLUE_API_URL/...?token=$(npx nestjs-hotglue mint acme)"
  --ttl <seconds>   lifetime, 60..3600 (default HOTGLUE_TOKEN_TTL_SECONDS or 3600)
  --force           mint even with NODE_ENV=production (refused otherwise, exit 4)

${COMMON}`,
  verify: `nestjs-hotglue verify <token|-> [--tenant <tenantId>] [--name <env>]

Verifies <token> (or a token read from stdin with "-", which keeps it out of the process list) against
the configured key: RS256 only, signature, expiry, and the tenant when --tenant is given. Prints the
claims as JSON and exits 0, or prints why it was refused and exits 3.

${COMMON}`,
  fingerprint: `nestjs-hotglue fingerprint [--name <env>]

Prints the configured signing key's fingerprint (sha256: and 16 hex digits of SHA-256 over the public
key): the same value the health indicator and the module's log lines show. Compare it after a rotation.

${COMMON}`,
  emulator: `nestjs-hotglue emulator [--name <env>]

Runs the hotglue emulator until Ctrl+C, exactly as hotglue-emulator does (EMULATOR_HOST, EMULATOR_PORT,
EMULATOR_REQUIRE_JWT, EMULATOR_WEBHOOK_URL, EMULATOR_WEBHOOK_SECRET, EMULATOR_VERBOSE, EMULATOR_KEY_DIR,
EMULATOR_WRITE_ENV (a dotenv file to write the HOTGLUE_* lines into and reuse after a restart),
and the HOTGLUE_* ids, keys and signing key; with --name, HOTGLUE_<ENV>_* ones). Exits 0 after Ctrl+C,
1 on a bad setting.

${COMMON}`,
};

const WEBHOOK_QUEUE = `Reads HOTGLUE_WEBHOOK_QUEUE_REDIS_URL (HOTGLUE_<ENV>_WEBHOOK_QUEUE_REDIS_URL with --name), the
Redis of HotglueWebhooksModule's queue mode; never prints it.
  --prefix <prefix>   the queue's key prefix, when the app sets webhooks.queue.prefix
                      (default {hotglue-webhooks})
  --queue <name>      the queue's name, when the app sets webhooks.queue.name (default deliveries)`;

HELP['webhooks-failed'] =
  `nestjs-hotglue webhooks-failed [--limit <n>] [--prefix <p>] [--queue <q>] [--name <env>]

Lists the deliveries whose handlers failed on every try, newest first, as JSON: id (the delivery id
handlers saw), receivedAt, failedAt, attemptsMade and error (the error's name and code, never its
message). --limit: at most this many (default 100).
${WEBHOOK_QUEUE}

${COMMON}`;

HELP['webhooks-retry'] = `nestjs-hotglue webhooks-retry [<id>...] [--prefix <p>] [--queue <q>] [--name <env>]

Moves failed deliveries back to the queue with fresh tries: the given ids, or every failed delivery.
A worker runs their handlers again with the same delivery id. Prints how many moved.
${WEBHOOK_QUEUE}

${COMMON}`;

/** `hotglue-emulator --help`: the variables it reads (the file header of `hotglue-emulator.ts` says the same). */
export const EMULATOR_HELP = `hotglue-emulator [--write-env <path>] [-h | --help]

Runs the hotglue emulator (a local hotglue API) until Ctrl+C and prints the variables your app needs
(HOTGLUE_API_URL=..., HOTGLUE_ENV_ID=..., keys, flow id).
  --write-env <path>                write those HOTGLUE_* lines into the dotenv file <path> (e.g. .env;
                                    other lines untouched, atomic, mode kept, a symlink refused) and
                                    reuse its ids and keys on the next start, so the app's .env stays
                                    valid across restarts (also EMULATOR_WRITE_ENV=<path>)
Other settings are variables:
  EMULATOR_HOST / EMULATOR_PORT     where to listen (default 127.0.0.1:4010; port 0 picks a free port)
  EMULATOR_REQUIRE_JWT              which public-key tenant calls need a token (default true):
                                    true or 1: every call that names a tenant; widget: only those
                                    hotglue's widget sends a token on (to run the real widget);
                                    false or 0: none
  EMULATOR_WEBHOOK_URL / EMULATOR_WEBHOOK_SECRET   where and how to send signed webhooks
  EMULATOR_VERBOSE=1                one line per request on stderr (tokens redacted)
  EMULATOR_ALLOWED_HOSTS            extra Host names to answer behind a proxy (comma-separated, or *)
  HOTGLUE_ENV_ID, HOTGLUE_PUBLIC_API_KEY, HOTGLUE_SECRET_API_KEY   fixed ids and keys (default: random)
  HOTGLUE_SIGNING_KEY or HOTGLUE_SIGNING_KEY_FILE   the key your app signs with (default: generated,
                                    in a temporary file removed on exit; with --write-env, written
                                    into the file as HOTGLUE_SIGNING_KEY)
  EMULATOR_KEY_DIR=<dir>            keep the generated signing key and API keys there (0600), reused on
                                    every later start; never removed

Exit codes: 0 after Ctrl+C or SIGTERM (and for --help), 1 on a bad setting or an unusable address,
2 on an argument it does not take (never printed). Values of secret settings are never printed.`;
