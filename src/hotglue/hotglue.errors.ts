/**
 * Typed errors of nestjs-hotglue.
 *
 * Every error names the setting or argument that is wrong and says how to fix it. None of them ever
 * carries a secret: not the signing key (nor any slice of it), not an API key, not a token.
 * Each class has a stable `code` so host code can branch without parsing messages.
 */

/**
 * The `code` of every error this library throws, so a host can `switch (error.code)` and have the compiler
 * check its cases. A new code is a minor change; a removed or renamed one is a major change.
 *
 * ```ts
 * if (error instanceof HotglueError) {
 *   switch (error.code) {
 *     case 'HOTGLUE_TIMEOUT':
 *     case 'HOTGLUE_NETWORK_ERROR':
 *       return retryLater();
 *     case 'HOTGLUE_CREDENTIALS_UNAVAILABLE':
 *       return askTheUserToReconnect();
 *   }
 * }
 * ```
 */
export type HotglueErrorCode =
  // configuration and arguments
  | 'HOTGLUE_CONFIG_INVALID'
  | 'HOTGLUE_SIGNING_KEY_INVALID'
  | 'HOTGLUE_TENANT_ID_INVALID'
  | 'HOTGLUE_ARGUMENT_INVALID'
  | 'HOTGLUE_TOKEN_INVALID'
  | 'HOTGLUE_ENVIRONMENT_NOT_FOUND'
  | 'HOTGLUE_API_KEY_MISSING'
  | 'HOTGLUE_FLOW_ID_MISSING'
  // calls to hotglue (`HotglueRequestError` and its subclasses)
  | 'HOTGLUE_API_ERROR'
  | 'HOTGLUE_TIMEOUT'
  | 'HOTGLUE_ABORTED'
  | 'HOTGLUE_RESPONSE_TOO_LARGE'
  | 'HOTGLUE_RESPONSE_INVALID'
  | 'HOTGLUE_RETRY_AFTER_TOO_LONG'
  | 'HOTGLUE_NETWORK_ERROR'
  // tenant credentials
  | 'HOTGLUE_CREDENTIALS_UNAVAILABLE'
  // calls to a tenant's provider API (`HotglueProviderError`; its `reason`, upper-cased)
  | 'HOTGLUE_PROVIDER_UNKNOWN_PROVIDER'
  | 'HOTGLUE_PROVIDER_REFUSED_URL'
  | 'HOTGLUE_PROVIDER_RECONNECT'
  | 'HOTGLUE_PROVIDER_TIMEOUT'
  | 'HOTGLUE_PROVIDER_ABORTED'
  | 'HOTGLUE_PROVIDER_TOO_LARGE'
  | 'HOTGLUE_PROVIDER_RETRY_AFTER_TOO_LONG'
  | 'HOTGLUE_PROVIDER_NETWORK'
  | 'HOTGLUE_PROVIDER_BAD_REQUEST'
  // webhooks
  | 'HOTGLUE_WEBHOOK_SETUP'
  | 'HOTGLUE_WEBHOOK_STORE_UNAVAILABLE'
  | 'HOTGLUE_WEBHOOK_QUEUE_UNAVAILABLE';

/** Base class of every error this library throws. */
export abstract class HotglueError extends Error {
  /** Stable, machine-readable error code (`HotglueErrorCode`). */
  abstract readonly code: HotglueErrorCode;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem found while validating the module options. */
export interface HotglueConfigIssue {
  /** Option path, e.g. `tokenTtlSeconds` or `http.timeoutMs`. */
  readonly path: string;
  /** What is wrong and how to fix it. Never contains the value of a secret setting. */
  readonly message: string;
}

/**
 * The module options are invalid. Thrown while the Nest application bootstraps (`compile()` /
 * `NestFactory.create()`), never later, with every problem listed at once as `path: message`.
 */
export class HotglueConfigError extends HotglueError {
  readonly code = 'HOTGLUE_CONFIG_INVALID';

  constructor(
    /** Every problem found, in option order. */
    readonly issues: readonly HotglueConfigIssue[],
  ) {
    super(
      `Invalid hotglue configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n'),
    );
  }
}

/** Why a signing key was refused. */
export type HotglueSigningKeyProblem =
  | 'missing'
  | 'both-set'
  | 'empty'
  | 'too-large'
  | 'file-unreadable'
  | 'not-base64-or-pem'
  | 'multiple-blocks'
  | 'encrypted'
  | 'public-key'
  | 'certificate'
  | 'not-rsa'
  | 'too-small'
  | 'unparseable';

/**
 * The signing key cannot be used. The message names the setting (`HOTGLUE_SIGNING_KEY`,
 * `HOTGLUE_SIGNING_KEY_FILE` or the option name) and the fix; it never echoes the key.
 */
export class HotglueSigningKeyError extends HotglueError {
  readonly code = 'HOTGLUE_SIGNING_KEY_INVALID';

  constructor(
    /** The machine-readable reason. */
    readonly problem: HotglueSigningKeyProblem,
    /** The setting that holds the key, e.g. `signingKey (HOTGLUE_SIGNING_KEY)`. */
    readonly setting: string,
    /** What is wrong and how to fix it, without the setting name. */
    readonly detail: string,
  ) {
    super(`${setting}: ${detail}`);
  }
}

/** Why a tenant id was refused. */
export type HotglueTenantIdProblem =
  | 'not-a-string'
  | 'empty'
  | 'too-long'
  | 'forbidden-character'
  | 'dot-segment';

/**
 * A tenant id does not match the accepted grammar (see `TENANT_ID_PATTERN`). Nothing was signed.
 * The message describes the problem but does not echo the id, which may hold control characters.
 */
export class HotglueTenantIdError extends HotglueError {
  readonly code = 'HOTGLUE_TENANT_ID_INVALID';

  constructor(
    readonly problem: HotglueTenantIdProblem,
    detail: string,
  ) {
    super(`tenantId: ${detail}`);
  }
}

/** An argument of a public method is out of range; the message names it and the accepted range. */
export class HotglueArgumentError extends HotglueError {
  readonly code = 'HOTGLUE_ARGUMENT_INVALID';

  constructor(
    /** The argument or option, e.g. `ttlSeconds`. */
    readonly argument: string,
    detail: string,
  ) {
    super(`${argument}: ${detail}`);
  }
}

/** Why a token failed verification. */
export type HotglueTokenProblem = 'malformed' | 'algorithm' | 'signature' | 'expired' | 'claims' | 'tenant';

/** A token failed `verifyToken`. The message never contains the token. */
export class HotglueTokenVerificationError extends HotglueError {
  readonly code = 'HOTGLUE_TOKEN_INVALID';

  constructor(
    readonly problem: HotglueTokenProblem,
    detail: string,
  ) {
    // No `cause`: verification libraries attach the decoded payload or the token to their errors.
    super(`token: ${detail}`);
  }
}

/**
 * A named environment was asked for (a guard's `environment`, a health check, `getHotglueEnvironment`)
 * but no `HotglueModule.forRoot({ name })` registered it where it is looked up.
 */
export class HotglueEnvironmentNotFoundError extends HotglueError {
  readonly code = 'HOTGLUE_ENVIRONMENT_NOT_FOUND';

  constructor(
    /** The environment asked for; `undefined` for the unnamed one. */
    readonly environment: string | undefined,
  ) {
    super(
      environment === undefined
        ? 'The unnamed hotglue environment is not registered. Import HotglueModule.forRoot(...) or ' +
            'forRootAsync(hotglueConfig.asProvider()) (with isGlobal: true to reach it from every module).'
        : `The hotglue environment "${environment}" is not registered. Import ` +
            `HotglueModule.forRootAsync({ name: '${environment}', ...hotglueConfigFor('${environment}').asProvider() }) ` +
            '(with isGlobal: true to reach it from every module).',
    );
  }
}
