import type { PublicLinkedSource } from './dto.js';

/**
 * Allow-list projection of a linked source: only its id (`tap`), `label` and whether the backend can call the
 * provider's API for it leave the server. `config` (OAuth tokens, passwords) and any field hotglue adds later
 * are dropped by construction.
 *
 * `hasProvider` says whether the sample has a provider API configured for the tap. A call can work only for
 * an OAuth source (hotglue then holds an access token for the tenant) with such an entry; an API-key source
 * (`type: 'api'`, e.g. Pipedrive) has no OAuth token, so the call could only answer 422, and the page says
 * why instead of offering it. A source without a `type` is judged by the provider entry alone.
 */
export function toPublicLinkedSource(
  source: { tap: string; label?: unknown; type?: unknown },
  hasProvider: (tap: string) => boolean = () => false,
): PublicLinkedSource {
  const label = typeof source.label === 'string' ? { label: source.label } : {};
  if (typeof source.type === 'string' && source.type !== 'oauth') {
    return {
      tap: source.tap,
      ...label,
      providerCall: false,
      providerCallNote:
        'An API-key source: hotglue holds no OAuth access token for it, so the backend has none to call its API with.',
    };
  }
  if (!hasProvider(source.tap)) {
    return {
      tap: source.tap,
      ...label,
      providerCall: false,
      providerCallNote: 'No provider API is configured in this app for this source.',
    };
  }
  return { tap: source.tap, ...label, providerCall: true };
}
