import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BodyBudget } from '../hotglue/webhooks/raw-body/body-budget.js';
import { assertKnownKey, authorize, classifyKey, type EmulatorApiKeys } from './auth.js';
import { corsHeaders, preflightHeaders } from './cors.js';
import type { EmulatorRequireJwt } from './emulator-options.js';
import type { EmulatorStore } from './emulator-store.js';
import {
  type EmulatorResponse,
  playFault,
  replacementResponse,
  type TimerSet,
  writeResponse,
} from './fault-player.js';
import { type FaultQueue, faultRunsHandler } from './faults.js';
import type { HostGuard } from './host-guard.js';
import { EmulatorHttpError, forbidden, notFound } from './http-error.js';
import { OAUTH_PAGE_PREFIX, type OAuthConsent } from './oauth/consent-flow.js';
import { type ParsedBody, parseRequestBody } from './request-body.js';
import {
  describeRequest,
  type EmulatorRequest,
  logPath,
  type RequestLog,
  redactQuery,
} from './request-log.js';
import type { Router } from './router.js';
import { splitPath } from './router.js';
import type { RouteServices } from './routes/route.js';
import type { TokenCheck, TokenVerifier } from './token-verifier.js';

/** Largest request body accepted (API Gateway's 10 MB payload cap). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the request pipeline needs; the emulator class owns and wires these. */
export interface DispatchDeps {
  readonly keys: EmulatorApiKeys;
  readonly requireJwt: EmulatorRequireJwt;
  readonly router: Router;
  readonly store: EmulatorStore;
  readonly verifier: TokenVerifier;
  readonly faults: FaultQueue;
  readonly log: RequestLog;
  readonly timers: TimerSet;
  readonly services: RouteServices;
  readonly logger: ((line: string) => void) | undefined;
  /** The emulated OAuth provider's pages (`/_oauth/…`). */
  readonly oauth: OAuthConsent;
  /** Request-body bytes held at once, across requests. */
  readonly bodies: BodyBudget;
  /** Which `Host` names and origins are the emulator's own (DNS-rebinding defence). */
  readonly hosts: HostGuard;
}

interface Body {
  readonly bytes: Buffer;
  readonly tooLarge: boolean;
  /** The shared in-flight budget ran out: the body was drained, not kept (503). */
  readonly overBudget: boolean;
}

const EMPTY_BODY: Body = { bytes: Buffer.alloc(0), tooLarge: false, overBudget: false };

/**
 * Reads a body into memory within two caps: `MAX_BODY_BYTES` for this body and the shared budget for all
 * bodies in flight. Past either cap the rest is drained, not buffered, so the connection stays usable for
 * the 413 / 503. The caller releases `bytes.length` from the budget once it answered.
 */
function readBody(req: IncomingMessage, budget: BodyBudget): Promise<Body> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve({ ...EMPTY_BODY, tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let kept = 0;
    let overBudget = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES || overBudget) return;
      if (budget.tryReserve(chunk.length)) {
        chunks.push(chunk);
        kept += chunk.length;
        return;
      }
      overBudget = true;
      chunks.length = 0;
      budget.release(kept);
      kept = 0;
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        budget.release(kept);
        resolve({ ...EMPTY_BODY, tooLarge: true });
      } else resolve({ bytes: Buffer.concat(chunks), tooLarge: false, overBudget });
    });
    req.on('error', reject);
    // A client that hangs up mid-body never sends 'end'; settle so nothing waits forever.
    req.on('close', () => {
      if (!req.complete) {
        budget.release(kept);
        reject(new Error('request aborted'));
      }
    });
  });
}

/**
 * Whether a request's body is worth reading: not for a preflight, a caller without a usable API key or a
 * path no route serves. Those are refused from their headers alone, so a keyless 10 MB upload costs no
 * memory; the body is drained unread. The consent pages (browser forms, no API key) are read.
 */
function bodyMayBeRead(deps: DispatchDeps, method: string, path: string, keyKind: string): boolean {
  if (!METHODS_WITH_BODY.has(method)) return false;
  if (path.startsWith(OAUTH_PAGE_PREFIX)) return true;
  if (keyKind === 'none' || keyKind === 'invalid') return false;
  try {
    deps.router.match(method, splitPath(path));
    return true;
  } catch {
    return false;
  }
}

/** First value of each query parameter. */
function parseQuery(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (search === '') return out;
  for (const [name, value] of new URLSearchParams(search)) if (!(name in out)) out[name] = value;
  return out;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function json(status: number, body: unknown, cors: Record<string, string>): EmulatorResponse {
  return {
    status,
    headers: { ...cors, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(body ?? {})),
  };
}

function assertBodyKept(body: Body): void {
  if (body.tooLarge) throw new EmulatorHttpError(413, 'Request body too large');
  if (body.overBudget) {
    throw new EmulatorHttpError(503, 'Too many request bodies in flight; retry in a second');
  }
}

/** Routing, auth and the handler: everything that decides the normal answer. Never throws. */
function compute(
  deps: DispatchDeps,
  req: IncomingMessage,
  entry: EmulatorRequest,
  query: Record<string, string>,
  token: TokenCheck | undefined,
  body: Body,
  parsedBody: ParsedBody,
  cors: Record<string, string>,
): EmulatorResponse {
  try {
    // 200, not 204: the widget counts only 200 as success, and a preflight answered 200 is as good.
    if (entry.method === 'OPTIONS') {
      return { status: 200, headers: preflightHeaders(req.headers), body: Buffer.alloc(0) };
    }
    // The emulated provider's pages are browser navigations: no API key, no hotglue token.
    if (entry.path.startsWith(OAUTH_PAGE_PREFIX)) {
      // A decision posted from any page but the emulator's own consent page is refused: together with the
      // Host check, a rebound or foreign page cannot link credentials to a tenant.
      const origin = req.headers.origin;
      if (
        entry.method !== 'GET' &&
        origin !== undefined &&
        !deps.hosts.isOwnOrigin(origin, req.headers.host)
      ) {
        throw forbidden("Consent decisions are accepted only from the emulator's own pages");
      }
      assertBodyKept(body);
      if (!parsedBody.ok) throw parsedBody.error;
      return deps.oauth.handle(entry.method, entry.path, query, parsedBody.value);
    }
    const keyKind = entry.keyKind;
    assertKnownKey(keyKind);
    const { route, params } = deps.router.match(entry.method, splitPath(entry.path));
    const tenant = route.tenantFrom === 'user_id' ? query.user_id : params.tenant;
    const { privileged } = authorize({ route, keyKind, token, tenant, requireJwt: deps.requireJwt });
    if (params.flow !== undefined && !deps.store.flow(params.flow)) throw notFound('Flow not found');
    assertBodyKept(body);
    if (!parsedBody.ok) throw parsedBody.error;
    const result = route.handler({
      params,
      query,
      body: parsedBody.value,
      privileged,
      store: deps.store,
      services: deps.services,
    });
    return json(200, result, cors);
  } catch (error) {
    if (error instanceof EmulatorHttpError) return json(error.status, error.toBody(), cors);
    // Only the error's class reaches the log: messages of unexpected errors are not vetted for secrets.
    deps.logger?.(`emulator: handler error ${(error as Error)?.name ?? 'unknown'}`);
    return json(500, { Code: 'ChaliceViewError', Message: 'An internal server error occurred.' }, cors);
  }
}

/** Handles one request end to end: log entry, fault, auth, route, answer. */
export async function dispatch(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = req.url ?? '/';
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = parseQuery(mark === -1 ? '' : url.slice(mark + 1));
  const keyKind = classifyKey(req.headers['x-api-key'], deps.keys);
  // Key and route first: a body is read only for a request that could be served.
  const body = bodyMayBeRead(deps, method, path, keyKind) ? await readBody(req, deps.bodies) : EMPTY_BODY;
  if (body === EMPTY_BODY) req.resume();
  try {
    await answer(deps, req, res, { method, path, query, keyKind, body });
  } finally {
    deps.bodies.release(body.bytes.length);
  }
}

interface Incoming {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly keyKind: EmulatorRequest['keyKind'];
  readonly body: Body;
}

async function answer(deps: DispatchDeps, req: IncomingMessage, res: ServerResponse, incoming: Incoming) {
  const { method, path, query, keyKind, body } = incoming;
  const token = query.token === undefined ? undefined : await deps.verifier.verify(query.token);
  const entry: EmulatorRequest = {
    method,
    path: logPath(path),
    query: redactQuery(query),
    keyKind,
    token: token === undefined ? 'absent' : token.valid ? 'valid' : 'invalid',
    status: 0,
  };
  deps.log.add(entry);
  const parsedBody: ParsedBody =
    body.tooLarge || body.overBudget || body.bytes.length === 0
      ? { ok: true, value: undefined }
      : await parseRequestBody(body.bytes, req.headers['content-type']);
  const cors = corsHeaders(req.headers.origin);
  const fault = deps.faults.take(method, safeDecode(path));
  if (fault) entry.fault = fault.kind;
  if (fault && !faultRunsHandler(fault)) {
    const replacement = replacementResponse(fault, cors) ?? json(500, {}, cors);
    entry.status = playFault(fault, req, res, replacement, deps.timers);
  } else {
    const response = compute(deps, req, entry, query, token, body, parsedBody, cors);
    if (fault) entry.status = playFault(fault, req, res, response, deps.timers);
    else {
      writeResponse(res, response);
      entry.status = response.status;
    }
  }
  if (deps.logger) {
    const tail = entry.fault ? ` fault=${entry.fault}` : '';
    deps.logger(
      `${method} ${describeRequest(entry)} -> ${entry.status} key=${entry.keyKind} token=${entry.token}${tail}`,
    );
  }
}
