import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { HotglueError, type HotglueSigningKey } from '../hotglue/index.js';
import { loadSigningKey } from '../hotglue/signing-key/load-signing-key.js';
import { isAllowedHostEntry } from '../hotglue-testing/host-guard.js';
import type { EmulatorRequireJwt } from '../hotglue-testing/index.js';

/** Default port of `hotglue-emulator`. */
const DEFAULT_EMULATOR_PORT = 4010;

/** An API key the user supplied: the value goes to the emulator, only its fingerprint to the terminal. */
export interface SuppliedApiKey {
  readonly value: string;
  readonly fingerprint: string;
}

/** What `hotglue-emulator` runs with, read from the environment. */
export interface EmulatorSettings {
  readonly host: string;
  readonly port: number;
  readonly envId?: string;
  readonly publicApiKey?: SuppliedApiKey;
  readonly secretApiKey?: SuppliedApiKey;
  /** The app's own signing key, when one was given; otherwise the command generates one. */
  readonly signingKey?: { readonly key: HotglueSigningKey; readonly setting: string };
  readonly requireJwt: EmulatorRequireJwt;
  readonly webhook?: { readonly url: string; readonly secret?: string };
  readonly verbose: boolean;
  /** `EMULATOR_ALLOWED_HOSTS`: extra Host names the emulator answers (comma-separated; `*` for any). */
  readonly allowedHosts?: readonly string[];
  /** `EMULATOR_KEY_DIR`: keep generated keys there across restarts (`emulator-key-dir.ts`). */
  readonly keyDir?: string;
}

type Env = Record<string, string | undefined>;

/** Accepted values of `EMULATOR_REQUIRE_JWT` (any case), as `HotglueEmulatorOptions.requireJwt`. */
const REQUIRE_JWT_VALUES: Readonly<Record<string, EmulatorRequireJwt>> = {
  true: true,
  '1': true,
  widget: 'widget',
  false: false,
  '0': false,
};

/**
 * Reads and validates the command's environment. Pure apart from reading a key file. Every problem is
 * one line naming the variable and the fix, never its value: a key or a key file's path may be secret.
 */
export function readEmulatorSettings(env: Env): { settings?: EmulatorSettings; problems: string[] } {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  const host = value('EMULATOR_HOST') ?? '127.0.0.1';
  if (!isHost(host)) {
    problems.push('EMULATOR_HOST must be an IP address or a host name, e.g. 127.0.0.1 or localhost.');
  }
  const portText = value('EMULATOR_PORT');
  const port = portText === undefined ? DEFAULT_EMULATOR_PORT : Number(portText);
  if (!/^\d{1,5}$/.test(portText ?? '0') || port > 65535) {
    problems.push('EMULATOR_PORT must be a whole number from 0 to 65535 (0 picks a free port).');
  }
  const requireJwt = REQUIRE_JWT_VALUES[(value('EMULATOR_REQUIRE_JWT') ?? 'true').toLowerCase()];
  if (requireJwt === undefined) {
    problems.push(
      'EMULATOR_REQUIRE_JWT must be true or 1 (a token on every tenant request), widget (only where ' +
        "hotglue's widget sends one) or false or 0 (none).",
    );
  }
  const webhookUrl = value('EMULATOR_WEBHOOK_URL');
  if (webhookUrl !== undefined && !isHttpUrl(webhookUrl)) {
    problems.push('EMULATOR_WEBHOOK_URL must be an http:// or https:// URL.');
  }

  const allowedHosts = value('EMULATOR_ALLOWED_HOSTS')
    ?.split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (allowedHosts !== undefined && !allowedHosts.every(isAllowedHostEntry)) {
    problems.push(
      'EMULATOR_ALLOWED_HOSTS must be a comma-separated list of host names or IP addresses, each with an ' +
        'optional :port (e.g. emulator.internal,proxy.local:8443), or *.',
    );
  }

  let signingKey: EmulatorSettings['signingKey'];
  const signingKeyFile = value('HOTGLUE_SIGNING_KEY_FILE');
  const inlineKey = value('HOTGLUE_SIGNING_KEY');
  if (signingKeyFile !== undefined || inlineKey !== undefined) {
    try {
      // The library's own loader: the same forms, checks and secret-free messages as the app's boot.
      const key = loadSigningKey({ signingKey: inlineKey, signingKeyFile });
      signingKey = { key, setting: signingKeyFile ? 'HOTGLUE_SIGNING_KEY_FILE' : 'HOTGLUE_SIGNING_KEY' };
    } catch (error) {
      if (!(error instanceof HotglueError)) throw error;
      problems.push(error.message);
    }
  }

  if (problems.length > 0) return { problems };
  const supplied = (name: string): SuppliedApiKey | undefined => {
    const key = value(name);
    return key === undefined ? undefined : { value: key, fingerprint: fingerprintOf(key) };
  };
  const envId = value('HOTGLUE_ENV_ID');
  const secret = value('EMULATOR_WEBHOOK_SECRET');
  const keyDir = value('EMULATOR_KEY_DIR');
  return {
    problems,
    settings: {
      host,
      port,
      ...(envId ? { envId } : {}),
      publicApiKey: supplied('HOTGLUE_PUBLIC_API_KEY'),
      secretApiKey: supplied('HOTGLUE_SECRET_API_KEY'),
      signingKey,
      requireJwt: requireJwt!,
      ...(webhookUrl ? { webhook: { url: webhookUrl, ...(secret ? { secret } : {}) } } : {}),
      verbose: ['1', 'true'].includes(value('EMULATOR_VERBOSE') ?? ''),
      ...(allowedHosts?.length ? { allowedHosts } : {}),
      ...(keyDir ? { keyDir } : {}),
    },
  };
}

/** A short non-secret name for a supplied key: enough to tell two keys apart, useless to an attacker. */
export function fingerprintOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function isHost(host: string): boolean {
  return isIP(host) !== 0 || HOST_NAME.test(host);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
