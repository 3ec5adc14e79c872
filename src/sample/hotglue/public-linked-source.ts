import type { PublicLinkedSource } from './dto.js';

/**
 * Allow-list projection of a linked source: only its id (`tap`) and `label` leave the server. `config`
 * (OAuth tokens, passwords) and any field hotglue adds later are dropped by construction.
 */
export function toPublicLinkedSource(source: { tap: string; label?: unknown }): PublicLinkedSource {
  return typeof source.label === 'string' ? { tap: source.tap, label: source.label } : { tap: source.tap };
}
