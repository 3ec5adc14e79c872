import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedCredentials } from '../emulated-credentials.js';

/** Every path of the emulated provider API starts with this; nothing of hotglue's does. */
export const PROVIDER_PATH_PREFIX = '/_provider/';

/** Whether a request URL belongs to the emulated provider API rather than to hotglue's. */
export function isProviderPath(url: string | undefined): boolean {
  return url?.startsWith(PROVIDER_PATH_PREFIX) === true;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(payload.length),
    'cache-control': 'no-store',
  });
  res.end(payload);
}

/**
 * A tiny stand-in for a provider's own API (Salesforce, HubSpot...), so a local run can prove the whole
 * loop: `GET /_provider/{tap}/me` with `Authorization: Bearer <access token>` answers 200 with a small,
 * non-secret profile when the token is the current, unexpired, unrevoked access token of a link of that tap
 * (any tenant, any flow: the token says whose it is), and 401 `invalid_token` otherwise, as OAuth resource
 * servers do (RFC 6750). Nothing here needs an API key; these requests are not in `requests`.
 */
export function handleProviderRequest(
  req: IncomingMessage,
  res: ServerResponse,
  credentials: EmulatedCredentials,
): string {
  const url = req.url ?? '/';
  const path = url.split('?')[0]!.slice(PROVIDER_PATH_PREFIX.length).split('/');
  let tap: string;
  try {
    tap = decodeURIComponent(path[0] ?? '');
  } catch {
    tap = '';
  }
  if (path.length !== 2 || path[1] !== 'me' || tap === '') {
    send(res, 404, { error: 'not_found', error_description: 'Only GET /_provider/{tap}/me exists.' });
    return 'not-found';
  }
  if (req.method !== 'GET') {
    send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
    return 'method';
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const link = match ? credentials.validLink(match[1]!) : undefined;
  if (!link || link.name !== tap) {
    send(
      res,
      401,
      {
        error: 'invalid_token',
        error_description: 'The access token is missing, expired, revoked or not for this provider.',
      },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    );
    return 'refused';
  }
  // A stable fake identity per (tenant, tap): the same tenant always sees the same profile.
  const id = createHash('sha256')
    .update(JSON.stringify([link.tenantId, tap]))
    .digest('hex')
    .slice(0, 16);
  const label = typeof link.item.label === 'string' ? link.item.label : tap;
  send(res, 200, {
    provider: tap,
    id: `emu-user-${id}`,
    displayName: `Emulated ${label} user`,
    organization: { id: `emu-org-${id.slice(0, 8)}`, name: `${link.tenantId} (emulated ${label})` },
  });
  return 'ok';
}
