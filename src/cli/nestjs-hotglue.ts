#!/usr/bin/env -S node --
/**
 * `nestjs-hotglue` (`npx nestjs-hotglue <command>`): operations on a deployment's hotglue settings, reading
 * the same `HOTGLUE_*` variables as `hotglueConfig` (`HOTGLUE_<NAME>_*` with `--name`). Thin on purpose:
 * argv is parsed with `node:util`'s `parseArgs` and every command calls the library. Commands, options and
 * exit codes: `cli-help.ts` (`--help`).
 *
 * The shebang passes `--` to Node: Node (20.19 to 24 at least) otherwise scans the script's own arguments for
 * `--env-file` and loads that file itself, `NODE_OPTIONS` included, before this code runs. After `--` Node
 * reads no option, so `--env-file` reaches `main`, which refuses it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  HotglueArgumentError,
  HotglueConfigError,
  HotglueTenantIdError,
  HotglueTokenService,
  HotglueTokenVerificationError,
} from '../hotglue/index.js';
import { hotglueEnvPrefix } from '../hotglue/options/environment-names.js';
import { hotglueOptionsFromEnv } from '../hotglue/options/hotglue.config.js';
import { type HotglueSetup, validateHotglueOptions } from '../hotglue/options/validate-options.js';
import { createRs256Signer } from '../hotglue/token/rs256.js';
import { EXIT, HELP } from './cli-help.js';
import { readEnvFile } from './env-file.js';

const COMMANDS = new Set([
  'check-config',
  'mint',
  'verify',
  'fingerprint',
  'emulator',
  'webhooks-failed',
  'webhooks-retry',
]);
/** The commands that read the app's settings, and so its `.env` as `ConfigModule.forRoot()` does. */
const ENV_FILE_COMMANDS = new Set([
  'check-config',
  'mint',
  'verify',
  'fingerprint',
  'webhooks-failed',
  'webhooks-retry',
]);

/**
 * parseArgs' messages quote what was typed for an unknown option or a stray positional (which may be a
 * pasted secret): say what kind of mistake it was instead. Its other messages name one of our options.
 */
function parseErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return 'unknown option (not shown: an argument may be a secret).';
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return 'unexpected argument (not shown: an argument may be a secret).';
  return (error as Error).message;
}

/** `Production`, ` production ` and `PRODUCTION` are production too: hosts set NODE_ENV by hand. */
function isProductionEnv(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'production';
}

function usage(message: string): number {
  console.error(`nestjs-hotglue: ${message}\nRun nestjs-hotglue --help for usage.`);
  return EXIT.usage;
}

/** Validates like boot; `undefined` (after printing the problem list) when the configuration is invalid. */
function setupOf(name: string | undefined): HotglueSetup | undefined {
  try {
    return validateHotglueOptions(
      hotglueOptionsFromEnv(process.env, name),
      name === undefined ? {} : { name },
    );
  } catch (error) {
    if (!(error instanceof HotglueConfigError)) throw error;
    console.error(error.message);
    return undefined;
  }
}

/** The library's own token service over the configured key, without a Nest app. */
function tokenService(setup: HotglueSetup): HotglueTokenService {
  return new HotglueTokenService(
    setup.options,
    setup.signingKey,
    createRs256Signer(setup.signingKey.privateKey),
  );
}

/**
 * Node's own `--env-file` family: refused by name (never its value) with the option to use instead. Node would
 * load such a file itself (and run what its `NODE_OPTIONS` names) if the script were started without `--`.
 */
function nodeEnvFileOption(argv: string[]): string | undefined {
  for (const arg of argv) {
    if (arg === '--') return undefined;
    const name = /^--(env-file(?:-if-exists)?)(?:=|$)/.exec(arg)?.[1];
    if (name) return name;
  }
  return undefined;
}

async function main(argv: string[]): Promise<number> {
  const nodeOption = nodeEnvFileOption(argv);
  if (nodeOption !== undefined)
    return usage(
      `--${nodeOption} is Node's own option (Node would load that file itself, NODE_OPTIONS included): ` +
        'use --dotenv <path> to read a settings file instead of .env.',
    );
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return usage(parseErrorText(error));
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (command !== undefined && !COMMANDS.has(command))
    // Never echo it: a secret pasted in the wrong place would land in the terminal and its scrollback/CI log.
    return usage('unknown command (not shown: an argument may be a secret).');
  if (values.help || command === undefined) {
    console.log(HELP[command ?? '']);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  const name = values.name;
  if (name !== undefined) {
    try {
      hotglueEnvPrefix(name);
    } catch (error) {
      return usage(`--name ${(error as Error).message.replace(/^name: /, '')}`);
    }
  }
  let envFile: string | undefined;
  if (ENV_FILE_COMMANDS.has(command)) {
    const read = readEnvFile(values.dotenv, process.env);
    if ('error' in read) {
      if (read.missing) return usage(read.error);
      console.error(`nestjs-hotglue: ${read.error}`);
      return EXIT.config;
    }
    envFile = read.path;
  } else if (values.dotenv !== undefined) {
    return usage(`--dotenv applies to ${[...ENV_FILE_COMMANDS].join(', ')}.`);
  }
  const expectArgs = (count: number, what: string) =>
    args.length === count ? undefined : usage(`${command} takes ${what}.`);

  switch (command) {
    case 'check-config': {
      const bad = expectArgs(0, 'no argument');
      if (bad !== undefined) return bad;
      const setup = setupOf(name);
      if (!setup) {
        if (envFile) console.error(`(Read ${envFile}; variables already set win.)`);
        return EXIT.config;
      }
      const { options, signingKey } = setup;
      console.log(
        `OK: ${name === undefined ? 'hotglue' : `hotglue "${name}"`} configuration is valid ` +
          `(env ${options.envId}, API ${new URL(options.apiUrl).origin}, signing key ${signingKey.fingerprint}, ` +
          `public API key ${options.publicApiKey ? 'set' : 'not set'}, secret API key ${options.secretApiKey ? 'set' : 'not set'})` +
          (envFile ? `, with ${envFile} (variables already set win).` : '.'),
      );
      return EXIT.ok;
    }
    case 'fingerprint': {
      const bad = expectArgs(0, 'no argument');
      if (bad !== undefined) return bad;
      const setup = setupOf(name);
      if (!setup) return EXIT.config;
      console.log(setup.signingKey.fingerprint);
      return EXIT.ok;
    }
    case 'mint': {
      const bad = expectArgs(1, 'exactly one argument, the tenant id');
      if (bad !== undefined) return bad;
      if (isProductionEnv(process.env.NODE_ENV) && !values.force) {
        console.error(
          'nestjs-hotglue: refusing to mint a token with NODE_ENV=production; tokens are for your app to sign. ' +
            'Pass --force if you really mean it.',
        );
        return EXIT.production;
      }
      const ttl = values.ttl === undefined ? undefined : Number(values.ttl);
      if (ttl !== undefined && !/^\d+$/.test(values.ttl ?? ''))
        return usage('--ttl must be a whole number of seconds.');
      const setup = setupOf(name);
      if (!setup) return EXIT.config;
      try {
        const token = await tokenService(setup).createToken(
          args[0]!,
          ttl === undefined ? {} : { ttlSeconds: ttl },
        );
        console.log(token.token);
        return EXIT.ok;
      } catch (error) {
        // Both messages describe the problem without echoing the argument.
        if (error instanceof HotglueTenantIdError || error instanceof HotglueArgumentError)
          return usage(error.message);
        throw error;
      }
    }
    case 'verify': {
      const bad = expectArgs(1, 'exactly one argument, the token (or - to read it from stdin)');
      if (bad !== undefined) return bad;
      const token = args[0] === '-' ? readFileSync(0, 'utf8').trim() : args[0]!;
      const setup = setupOf(name);
      if (!setup) return EXIT.config;
      try {
        const claims = await tokenService(setup).verifyToken(
          token,
          values.tenant === undefined ? {} : { tenantId: values.tenant },
        );
        console.log(
          JSON.stringify(
            {
              valid: true,
              sub: claims.tenantId,
              iat: claims.issuedAt.getTime() / 1000,
              exp: claims.expiresAt.getTime() / 1000,
              issuedAt: claims.issuedAt.toISOString(),
              expiresAt: claims.expiresAt.toISOString(),
              keyFingerprint: setup.signingKey.fingerprint,
            },
            null,
            2,
          ),
        );
        return EXIT.ok;
      } catch (error) {
        if (!(error instanceof HotglueTokenVerificationError)) throw error;
        console.error(`nestjs-hotglue: token refused (${error.problem}): ${error.message}`);
        return EXIT.refused;
      }
    }
    case 'webhooks-failed':
    case 'webhooks-retry': {
      if (command === 'webhooks-failed') {
        const bad = expectArgs(0, 'no argument');
        if (bad !== undefined) return bad;
      }
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!/^\d+$/.test(values.limit ?? '100') || limit < 1 || limit > 10_000)
        return usage('--limit must be a whole number from 1 to 10000.');
      // Loaded only here: it pulls in the queue code (and bullmq, when it runs).
      const { runWebhookQueueCommand } = await import('./webhook-queue-command.js');
      return runWebhookQueueCommand(process.env, {
        command,
        ids: args,
        name,
        prefix: values.prefix,
        queue: values.queue,
        limit,
      });
    }
    default: {
      // emulator: the very code of hotglue-emulator, loaded only here (it pulls in the emulator).
      const bad = expectArgs(0, 'no argument');
      if (bad !== undefined) return bad;
      const { runEmulatorCommand } = await import('./emulator-command.js');
      await runEmulatorCommand(
        name === undefined ? process.env : unprefixed(process.env, name),
        'nestjs-hotglue emulator',
      );
      return EXIT.ok;
    }
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      dotenv: { type: 'string' },
      ttl: { type: 'string' },
      tenant: { type: 'string' },
      force: { type: 'boolean' },
      limit: { type: 'string' },
      prefix: { type: 'string' },
      queue: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** The emulator reads `HOTGLUE_*`: give it the named environment's variables under those names. */
function unprefixed(env: NodeJS.ProcessEnv, name: string): NodeJS.ProcessEnv {
  const prefix = hotglueEnvPrefix(name);
  const result: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('HOTGLUE_')) result[key] = value;
    else if (key.startsWith(prefix)) result[`HOTGLUE_${key.slice(prefix.length)}`] = value;
  }
  return result;
}

// No top-level await: the bins also ship in the CommonJS build. A rejection still ends the process.
void main(process.argv.slice(2)).then((code) => {
  // The emulator keeps running until its signal handler exits; every other command ends here.
  if (code !== EXIT.ok || !process.argv.slice(2).includes('emulator')) process.exitCode = code;
});
