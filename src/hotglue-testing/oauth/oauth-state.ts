import type { LinkKind } from '../emulator-store.js';

/** What an OAuth popup's `state` asks to link: one source, target or connector of one tenant and flow. */
export interface OAuthRequestTarget {
  readonly kind: LinkKind;
  readonly envId: string;
  readonly flowId: string;
  readonly tenantId: string;
  /** `tap`, `target` or connector `id`. */
  readonly name: string;
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A few taps get their state base64-encoded instead of URI-encoded (see docs/hotglue-reference.md).
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      return undefined;
    }
  }
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Reads the `state` the widget appends to an OAuth URL (pure; undefined when it is not one):
 * `{ user_id, env_id, flow, tap_name }` for a source, `target_name` for a target, and
 * `{ entity_id, entity_type: 'connector', flowVersion: 2 }` for a V2 connector.
 */
export function parseOAuthState(state: string | undefined): OAuthRequestTarget | undefined {
  if (!state) return undefined;
  const value = decodeJson(state);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  const envId = text(fields.env_id);
  const flowId = text(fields.flow);
  const tenantId = text(fields.user_id);
  if (!envId || !flowId || !tenantId) return undefined;
  const connector = fields.entity_type === 'connector' ? text(fields.entity_id) : undefined;
  if (connector) return { kind: 'connector', envId, flowId, tenantId, name: connector };
  const target = text(fields.target_name);
  if (target) return { kind: 'target', envId, flowId, tenantId, name: target };
  const tap = text(fields.tap_name);
  if (tap) return { kind: 'source', envId, flowId, tenantId, name: tap };
  return undefined;
}
