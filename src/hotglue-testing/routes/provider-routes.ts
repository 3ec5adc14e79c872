import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedCredentials } from '../emulated-credentials.js';
import { playFault, replacementResponse, type TimerSet, writeResponse } from '../fault-player.js';
import { type FaultQueue, faultRunsHandler } from '../faults.js';

/** Every path of the emulated provider API starts with this; nothing of hotglue's does. */
export const PROVIDER_PATH_PREFIX = '/_provider/';

/** Largest request body the emulated provider reads; beyond it, 413. */
const MAX_PROVIDER_BODY_BYTES = 1024 * 1024;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** One request the emulated provider API received: never the token, only whether it was accepted. */
export interface EmulatorProviderRequest {
  readonly method: string;
  /** The tap of `/_provider/{tap}/…`. */
  readonly tap: string;
  /** The path below the tap, percent-decoded, without the query, e.g. `/me`. */
  readonly path: string;
  /** The tenant whose token it carried, when the token was a valid one of that tap. */
  readonly tenantId?: string;
  /** Whether a bearer token was sent at all. */
  readonly hadToken: boolean;
  /** Status sent (0 when the connection was cut before headers). */
  status: number;
  /** The fault played, if any. */
  fault?: string;
}

/** Whether a request URL belongs to the emulated provider API rather than to hotglue's. */
export function isProviderPath(url: string | undefined): boolean {
  return url?.startsWith(PROVIDER_PATH_PREFIX) === true;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PROVIDER_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** What the provider route needs from the emulator. */
export interface ProviderRouteDeps {
  readonly credentials: EmulatedCredentials;
  readonly faults: FaultQueue;
  readonly timers: TimerSet;
  readonly log: (entry: EmulatorProviderRequest) => void;
}

/**
 * A small stand-in for a provider's own API (Salesforce, HubSpot...), per emulated tap, so tests and local
 * runs can prove the whole loop: `GET|POST|PUT|PATCH|DELETE /_provider/{tap}/…` with
 * `Authorization: Bearer <access token>`. The token must be the current, unexpired, unrevoked access token
 * of a link of that tap (any tenant, any flow: the token says whose it is), else 401 `invalid_token`, as
 * OAuth resource servers answer (RFC 6750). `GET /me` answers a small non-secret profile; any other path
 * echoes `{ provider, tenantId, method, path, query, body }`. Faults injected for the tap
 * (`injectProviderFault`) are played after the token check. Nothing here needs an API key.
 */
export async function handleProviderRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ProviderRouteDeps,
): Promise<string> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = (q === -1 ? url : url.slice(0, q)).slice(PROVIDER_PATH_PREFIX.length);
  const slash = rawPath.indexOf('/');
  const tap = decode(slash === -1 ? rawPath : rawPath.slice(0, slash)) ?? '';
  const rest = decode(slash === -1 ? '/' : rawPath.slice(slash)) ?? '/';
  const method = (req.method ?? 'GET').toUpperCase();
  const match = /^Bearer +(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  const entry: EmulatorProviderRequest = { method, tap, path: rest, hadToken: match !== null, status: 0 };
  deps.log(entry);
  const send = (response: ReturnType<typeof json>): string => {
    writeResponse(res, method === 'HEAD' ? { ...response, body: Buffer.alloc(0) } : response);
    entry.status = response.status;
    return String(response.status);
  };
  if (tap === '')
    return send(json(404, { error: 'not_found', error_description: 'GET /_provider/{tap}/me' }));
  if (!METHODS.has(method)) {
    return send(json(405, { error: 'method_not_allowed' }, { allow: [...METHODS].join(', ') }));
  }
  const link = match ? deps.credentials.validLink(match[1]!) : undefined;
  if (!link || link.name !== tap) {
    req.resume();
    return send(
      json(
        401,
        {
          error: 'invalid_token',
          error_description: 'The access token is missing, expired, revoked or not for this provider.',
        },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      ),
    );
  }
  Object.assign(entry, { tenantId: link.tenantId });
  const bytes = await readBody(req);
  if (bytes === undefined) return send(json(413, { error: 'payload_too_large' }));
  const fault = deps.faults.take(method, `${PROVIDER_PATH_PREFIX}${tap}${rest}`);
  if (fault) entry.fault = fault.kind;
  if (fault && !faultRunsHandler(fault)) {
    const replacement = replacementResponse(fault, {}) ?? json(500, {});
    entry.status = playFault(fault, req, res, replacement, deps.timers);
    return `fault ${fault.kind}`;
  }
  let response: ReturnType<typeof json>;
  if (rest === '/me' && method === 'GET') {
    // A stable fake identity per (tenant, tap): the same tenant always sees the same profile.
    const id = createHash('sha256')
      .update(JSON.stringify([link.tenantId, tap]))
      .digest('hex')
      .slice(0, 16);
    const label = typeof link.item.label === 'string' ? link.item.label : tap;
    response = json(200, {
      provider: tap,
      id: `emu-user-${id}`,
      displayName: `Emulated ${label} user`,
      organization: { id: `emu-org-${id.slice(0, 8)}`, name: `${link.tenantId} (emulated ${label})` },
    });
  } else {
    const text = bytes.toString('utf8');
    let body: unknown = text === '' ? undefined : text;
    if (text !== '' && /json/i.test(req.headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    response = json(method === 'POST' ? 201 : 200, {
      provider: tap,
      tenantId: link.tenantId,
      method,
      path: rest,
      query: Object.fromEntries(new URLSearchParams(q === -1 ? '' : url.slice(q + 1))),
      contentType: req.headers['content-type'] ?? null,
      body: body ?? null,
    });
  }
  if (fault) {
    entry.status = playFault(fault, req, res, response, deps.timers);
    return `fault ${fault.kind}`;
  }
  return send(response);
}
