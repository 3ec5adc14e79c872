import { type InspectOptions, inspect } from 'node:util';
import { HotglueArgumentError, HotglueTokenVerificationError } from '../hotglue.errors.js';
import { RefreshingCache } from '../internal/refreshing-cache.js';
import { assertValidTenantId } from '../internal/tenant-id.js';
import {
  type HotglueValidatedOptions,
  MAX_TOKEN_TTL_SECONDS,
  MIN_TOKEN_TTL_SECONDS,
} from '../options/hotglue.options.js';
import { type HotglueSigningKey, SigningKeyState } from '../signing-key/index.js';
import { type HotglueTelemetry, NOOP_TELEMETRY } from '../telemetry/index.js';
import { type HotglueJwtSigner, signingInput, verifyRs256 } from './rs256.js';

/** A signed tenant token and its validity window. */
export interface HotglueToken {
  /** The compact RS256 JWT: pass it to the widget as `jwtToken` or to the API as `token`. */
  readonly token: string;
  /** The tenant it is for (its `sub` claim). */
  readonly tenantId: string;
  /** `iat`, whole seconds. */
  readonly issuedAt: Date;
  /** `exp`, whole seconds; `exp - iat` is exactly the TTL. */
  readonly expiresAt: Date;
}

/** Options of `createToken`. */
export interface CreateTokenOptions {
  /** Lifetime in seconds, 60..3600. Default: the module's `tokenTtlSeconds`. */
  readonly ttlSeconds?: number;
}

/** Options of `verifyToken`. */
export interface VerifyTokenOptions {
  /** When given, the token's `sub` must equal it. */
  readonly tenantId?: string;
  /** Accepted clock skew for `exp` and `iat`, in seconds. Default 0: our own clock signed it. */
  readonly clockToleranceSeconds?: number;
}

/**
 * Signs, caches and verifies hotglue tenant tokens: RS256 JWTs with exactly `{ sub, iat, exp }`.
 *
 * Concurrent signings run on libuv's thread pool and a lone one inline (see `createRs256Signer`), so a burst
 * uses every core and never blocks the event loop for more than one signature. Tenant ids are
 * validated before anything is signed (see `TENANT_ID_PATTERN`).
 */
export class HotglueTokenService {
  private readonly cache: RefreshingCache<HotglueToken>;
  private readonly refreshMarginMs: number;
  private readonly keyState: SigningKeyState;

  // Built by `hotglue.providers.ts` (a factory per environment) or by hand (the CLI), never by Nest from
  // this constructor. `keyState` is optional for the CLI, which rotates nothing.
  constructor(
    private readonly options: HotglueValidatedOptions,
    signingKey: HotglueSigningKey,
    private readonly signer: HotglueJwtSigner,
    keyState?: SigningKeyState,
    private readonly telemetry: HotglueTelemetry = NOOP_TELEMETRY,
  ) {
    this.cache = new RefreshingCache(
      options.tokenCacheSize,
      telemetry.enabled ? { hit: () => telemetry.cacheHit(), miss: () => telemetry.cacheMiss() } : undefined,
    );
    this.refreshMarginMs = Math.ceil(options.tokenTtlSeconds * options.tokenRefreshMargin * 1000);
    this.keyState = keyState ?? new SigningKeyState(signingKey);
    // Tokens signed with the old key would be refused by hotglue once it has the new one.
    this.keyState.onRotate(() => this.cache.clear());
  }

  /** The key signing now: its `fingerprint` tells operators which key runs. */
  get signingKey(): HotglueSigningKey {
    return this.keyState.current;
  }

  /**
   * Replaces the signing key without a restart, e.g. with a key fetched from a secrets manager. The input is
   * validated exactly as at boot; when it is accepted, every cached token is dropped and every signing
   * from then on uses it (signings already running finish with the old key; none fails). When it is
   * refused, nothing changes: this throws `HotglueSigningKeyError` naming `setting` (never the value), one
   * error is logged and the health indicator reports the refusal until a good key is accepted.
   * A key equal to the active one is accepted and changes nothing. Returns the active key.
   */
  rotateSigningKey(input: string | Buffer, setting = 'rotateSigningKey(input)'): HotglueSigningKey {
    return this.keyState.rotate(input, setting);
  }

  /** Always signs a fresh token for `tenantId`. Throws `HotglueTenantIdError` (nothing signed) on a bad id. */
  async createToken(tenantId: string, options: CreateTokenOptions = {}): Promise<HotglueToken> {
    assertValidTenantId(tenantId);
    const ttl = options.ttlSeconds ?? this.options.tokenTtlSeconds;
    if (!Number.isInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
      throw new HotglueArgumentError(
        'ttlSeconds',
        `must be a whole number of seconds from ${MIN_TOKEN_TTL_SECONDS} to ${MAX_TOKEN_TTL_SECONDS}.`,
      );
    }
    // Floor, never round: `iat` must not lie in the future.
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttl;
    const input = signingInput({ sub: tenantId, iat, exp });
    if (!this.telemetry.enabled) return tokenRecord(await this.signer(input), tenantId, iat, exp);
    const started = performance.now();
    const token = await this.signer(input);
    this.telemetry.tokenSigned(performance.now() - started);
    return tokenRecord(token, tenantId, iat, exp);
  }

  /**
   * The cached token for `tenantId`, signed on first use and re-signed once less than the refresh margin
   * (default 20% of the TTL) remains. Concurrent calls for one tenant share one signing; a failed signing
   * is not cached. The returned token always has at least the margin left.
   */
  getToken(tenantId: string): Promise<HotglueToken> {
    // Not `async`: a cache hit then hands back the cache's settled promise itself, with no promise wrapped
    // around it to settle on later ticks. An invalid id is still a rejection, never a synchronous throw.
    try {
      assertValidTenantId(tenantId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.cache.get(tenantId, this.signForCache);
  }

  /** The cache's loader, bound once so a cache hit allocates no closure. */
  private readonly signForCache = async (tenantId: string) => {
    const value = await this.createToken(tenantId);
    return { value, refreshAt: value.expiresAt.getTime() - this.refreshMarginMs };
  };

  /** Forgets the cached token of one tenant (e.g. after hotglue refused it), or of all tenants. */
  evictToken(tenantId?: string): void {
    if (tenantId === undefined) this.cache.clear();
    else this.cache.delete(tenantId);
  }

  /**
   * Verifies a token against this module's public key: RS256 only (`none`, HS256 and every other algorithm
   * are refused), a valid signature, `exp` in the future, `iat` not in the future, and `sub` equal to
   * `tenantId` when given. Throws `HotglueTokenVerificationError`; the message never contains the token.
   */
  async verifyToken(token: string, options: VerifyTokenOptions = {}): Promise<HotglueToken> {
    const tolerance = options.clockToleranceSeconds ?? 0;
    // Checked here, so a bad option is reported as such and not as a malformed token.
    if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
      throw new HotglueArgumentError(
        'clockToleranceSeconds',
        'must be a finite number of seconds, 0 or more.',
      );
    }
    const result = verifyRs256(token, this.keyState.current.publicKey, {
      nowSeconds: Date.now() / 1000,
      toleranceSeconds: tolerance,
      ...(options.tenantId === undefined ? {} : { subject: options.tenantId }),
    });
    if (!result.valid) throw new HotglueTokenVerificationError(result.problem, result.detail);
    const { sub, iat, exp } = result.claims;
    return tokenRecord(token, sub, iat, exp);
  }
}

/**
 * A frozen `HotglueToken`. `console.log`/`util.inspect` (and so most loggers) show it with the JWT
 * redacted, so logging the whole object by mistake does not leak a credential; `token` itself and
 * `JSON.stringify` are unchanged, because handing the token to the browser is the point.
 */
function tokenRecord(token: string, tenantId: string, iat: number, exp: number): HotglueToken {
  const record = { token, tenantId, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  Object.defineProperty(record, inspect.custom, { value: inspectRedacted, enumerable: false });
  return Object.freeze(record);
}

function inspectRedacted(this: HotglueToken, _depth: number, options: InspectOptions): string {
  return `HotglueToken ${inspect({ ...this, token: '[REDACTED]' }, options)}`;
}
