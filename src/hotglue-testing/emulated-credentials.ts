import { randomBytes } from 'node:crypto';
import { parseExpiry } from '../hotglue/client/credentials-parse.js';
import type { JsonObject } from './emulator-options.js';
import type { EmulatorStore, LinkKind } from './emulator-store.js';
import { badRequest } from './http-error.js';

/** Lifetime of an access token the emulator mints when it refreshes one, as the consent page does: 1 h. */
export const EMULATED_ACCESS_TOKEN_TTL_SECONDS = 3600;

/** hotglue's text for a refused grant (docs/hotglue-reference.md); clients read it as "the tenant must reconnect". */
export const REVOKED_MESSAGE =
  'Failed OAuth login: invalid_grant (the OAuth grant was revoked or has expired)';

/** One linked source or connector that holds OAuth credentials. */
export interface OAuthLink {
  /** A target too: hotglue hands out a V1 target's token on the same route (see docs/hotglue-reference.md). */
  readonly kind: LinkKind;
  readonly flowId: string;
  readonly tenantId: string;
  /** `tap` of a source, `id` of a connector. */
  readonly name: string;
  readonly item: JsonObject;
  readonly config: JsonObject;
}

const asConfig = (item: JsonObject): JsonObject | undefined => {
  const config = item.config;
  return typeof config === 'object' && config !== null && !Array.isArray(config)
    ? (config as JsonObject)
    : undefined;
};

/**
 * The OAuth side of the emulated environment: which fake access tokens are revoked, whether one is still
 * valid on the emulator clock, and the refresh hotglue's `accesstoken` performs. Revocation is recorded per
 * access token, so a tenant who reconnects (a new link, a new token) is no longer revoked, with no hook in
 * the linking routes.
 */
export class EmulatedCredentials {
  private readonly revoked = new Set<string>();

  constructor(
    private readonly store: EmulatorStore,
    private readonly now: () => number,
    private readonly expiresInForm: 'seconds' | 'epoch' = 'seconds',
  ) {}

  /**
   * The provider rotates the tenant's access token (of one tap / connector, or all): hotglue's stored config
   * gets a new one, and the old one no longer matches any link, so the provider API answers 401 to it until
   * the client fetches the credentials again. Returns how many links were rotated.
   */
  rotate(tenantId: string, entity?: string): number {
    let count = 0;
    for (const link of [...this.links()]) {
      if (link.tenantId !== tenantId || (entity !== undefined && link.name !== entity)) continue;
      if (typeof link.config.access_token !== 'string') continue;
      const config: JsonObject = {
        ...link.config,
        access_token: `emu-at-${randomBytes(18).toString('base64url')}`,
      };
      this.store.link(link.kind, link.flowId, link.tenantId, link.name, { ...link.item, config });
      count++;
    }
    return count;
  }

  /**
   * Revokes the current credentials of the tenant's links (every flow, sources and connectors), or only of
   * the one whose tap / connector id is `entity`. Returns how many links were affected.
   */
  revoke(tenantId: string, entity?: string): number {
    let count = 0;
    for (const link of this.links()) {
      if (link.tenantId !== tenantId || (entity !== undefined && link.name !== entity)) continue;
      for (const field of ['access_token', 'refresh_token'] as const) {
        const value = link.config[field];
        if (typeof value === 'string') this.revoked.add(value);
      }
      count += 1;
    }
    return count;
  }

  /** Whether this access (or refresh) token was revoked. */
  isRevoked(token: string): boolean {
    return this.revoked.has(token);
  }

  /** Epoch ms at which the config's access token expires, when it says (`expires_at` / `token_expiry`). */
  expiresAt(config: JsonObject): number | undefined {
    return parseExpiry(config.expires_at) ?? parseExpiry(config.token_expiry);
  }

  /** The link whose config holds exactly this access token, if it is still valid on the emulator clock. */
  validLink(accessToken: string): OAuthLink | undefined {
    if (accessToken === '' || this.revoked.has(accessToken)) return undefined;
    for (const link of this.links()) {
      if (link.config.access_token !== accessToken) continue;
      const expiresAt = this.expiresAt(link.config);
      return expiresAt === undefined || this.now() < expiresAt ? link : undefined;
    }
    return undefined;
  }

  /**
   * The config hotglue hands out for a link (`accesstoken`, `linkedSources?config=true`): the stored one while
   * its token is valid, else (as hotglue does with the refresh token) one with a newly minted access token,
   * stored back. 400 "Failed OAuth login" when revoked, or expired without a refresh token. A config without
   * an access token (not OAuth) is returned as it is.
   */
  currentConfig(link: OAuthLink): JsonObject {
    const { config } = link;
    const token = config.access_token;
    if (typeof token !== 'string') return config;
    if (this.revoked.has(token)) throw badRequest(REVOKED_MESSAGE);
    const expiresAt = this.expiresAt(config);
    if (expiresAt === undefined || this.now() < expiresAt) return config;
    const refresh = config.refresh_token;
    if (typeof refresh !== 'string' || this.revoked.has(refresh)) throw badRequest(REVOKED_MESSAGE);
    const refreshed: JsonObject = {
      ...config,
      access_token: `emu-at-${randomBytes(18).toString('base64url')}`,
      expires_in: EMULATED_ACCESS_TOKEN_TTL_SECONDS,
      expires_at: new Date(this.now() + EMULATED_ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
    };
    this.store.link(link.kind, link.flowId, link.tenantId, link.name, { ...link.item, config: refreshed });
    return refreshed;
  }

  /** `item` with `currentConfig` in place of its config (same object when nothing changed or no config). */
  handOut(kind: 'source' | 'connector', flowId: string, tenantId: string, item: JsonObject): JsonObject {
    const config = asConfig(item);
    const name = kind === 'source' ? item.tap : item.id;
    if (!config || typeof name !== 'string') return item;
    const current = this.currentConfig({ kind, flowId, tenantId, name, item, config });
    return current === config ? item : { ...item, config: current };
  }

  /**
   * Seconds the config's access token has left on the emulator clock (0 when expired), or the absolute expiry
   * in epoch seconds with `expiresInForm: 'epoch'`; its stored `expires_in` when it has no expiry.
   */
  expiresIn(config: JsonObject): unknown {
    const expiresAt = this.expiresAt(config);
    if (expiresAt === undefined) return config.expires_in;
    if (this.expiresInForm === 'epoch') return Math.floor(expiresAt / 1000);
    return Math.max(0, Math.floor((expiresAt - this.now()) / 1000));
  }

  /** Every linked source and connector that has a config, in every flow, of every known tenant. */
  private *links(): Generator<OAuthLink> {
    for (const tenantId of this.store.tenants.keys()) {
      for (const flow of this.store.flows) {
        for (const kind of ['source', 'connector'] as const) {
          for (const item of this.store.linked(kind, flow.id, tenantId)) {
            const config = asConfig(item);
            const name = kind === 'source' ? item.tap : item.id;
            if (config && typeof name === 'string')
              yield { kind, flowId: flow.id, tenantId, name, item, config };
          }
        }
      }
    }
  }
}
