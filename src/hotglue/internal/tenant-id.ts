import { HotglueTenantIdError } from '../hotglue.errors.js';

/** Longest tenant id we sign for. hotglue documents no limit; 256 covers UUIDs, emails and composite ids. */
export const MAX_TENANT_ID_LENGTH = 256;

/**
 * The tenant id grammar, decided here because hotglue documents none (its tenant ids are the host's own
 * customer ids: `1414_1`, `acme-corp`, UUIDs, emails):
 *
 * - 1 to 256 characters from `A-Z a-z 0-9` and `- _ . @ : + = ~`;
 * - no `..` anywhere and not `.` alone, so an id can never act as a path traversal segment.
 *
 * Everything else is refused before signing: whitespace (anywhere, so also at either end), control
 * characters, `/`, `\`, `?`, `#`, `%`, quotes and non-ASCII letters (look-alike characters would let two
 * ids that read the same be different tenants).
 */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9._@:+=~-]{1,256}$/;

/** Throws `HotglueTenantIdError` unless `tenantId` follows `TENANT_ID_PATTERN`. Never echoes the id. */
export function assertValidTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string') {
    throw new HotglueTenantIdError(
      'not-a-string',
      `must be a string, got ${tenantId === null ? 'null' : typeof tenantId}.`,
    );
  }
  if (tenantId.length === 0) {
    throw new HotglueTenantIdError('empty', 'must not be empty; pass the id of the tenant the token is for.');
  }
  if (tenantId.length > MAX_TENANT_ID_LENGTH) {
    throw new HotglueTenantIdError(
      'too-long',
      `is ${tenantId.length} characters; at most ${MAX_TENANT_ID_LENGTH} are allowed.`,
    );
  }
  if (!TENANT_ID_PATTERN.test(tenantId)) {
    throw new HotglueTenantIdError(
      'forbidden-character',
      'may contain only letters A-Z a-z, digits and - _ . @ : + = ~ (no whitespace, control characters, / or \\).',
    );
  }
  if (tenantId === '.' || tenantId.includes('..')) {
    throw new HotglueTenantIdError('dot-segment', 'must not be "." or contain "..".');
  }
}
