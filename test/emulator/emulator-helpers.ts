/** Shared helpers of the emulator specs: a plain undici caller and token minting with jose. */
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { type Dispatcher, getGlobalDispatcher } from 'undici';
import type { HotglueEmulator } from '../../src/hotglue-testing/index.js';

/** Which key to send: one of the emulator's, a literal string, or none. */
export type KeyChoice = 'public' | 'secret' | 'none' | { raw: string };

export interface CallOptions {
  key?: KeyChoice;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/**
 * `/seg/seg/...` with every segment percent-encoded, as a careful client builds it. `encodeURIComponent`
 * leaves `.` alone, so all-dot segments become `%2E`s (which only a verbatim path keeps; see `call`).
 */
export function pathOf(...segments: string[]): string {
  const encode = (s: string) => (/^\.+$/.test(s) ? s.replace(/\./g, '%2E') : encodeURIComponent(s));
  return `/${segments.map(encode).join('/')}`;
}

/** One request with undici's `request`; the body is read fully and parsed when it is JSON. */
export async function call(
  emulator: HotglueEmulator,
  method: Dispatcher.HttpMethod,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const key = options.key ?? 'secret';
  const headers: Record<string, string> = { ...options.headers };
  if (key === 'public') headers['x-api-key'] = emulator.publicApiKey;
  else if (key === 'secret') headers['x-api-key'] = emulator.secretApiKey;
  else if (key !== 'none') headers['x-api-key'] = key.raw;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const search = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  // `origin` + `path` goes out verbatim; `request(url)` would run the WHATWG URL parser, which collapses
  // `.`, `..`, `%2E` and `%2E%2E` segments before anything is sent.
  const res = await getGlobalDispatcher().request({
    origin: emulator.url,
    path: `${path}${search}`,
    method,
    headers,
    body,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export interface TokenOptions {
  /** Seconds from `nowMs` to `exp`; default 3600. Negative for an expired token. */
  expiresIn?: number;
  /** Epoch ms the token is issued at; default Date.now(). */
  nowMs?: number;
}

/** An RS256 tenant token like the library signs: `{ sub, iat, exp }`. */
export async function signToken(
  privateKey: KeyObject,
  sub: string,
  options: TokenOptions = {},
): Promise<string> {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.expiresIn ?? 3600))
    .sign(privateKey);
}

/** An unsigned `alg: none` token for `sub`. */
export function noneToken(sub: string): string {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub, iat, exp: iat + 3600 })}.`;
}

/** The classic key-confusion forgery: HS256 with the RSA public key PEM as the HMAC secret. */
export async function hs256ForgedToken(publicKeyPem: string, sub: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 3600)
    .sign(new TextEncoder().encode(publicKeyPem));
}

/** A clock a spec moves by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 24, 3, 0, 0)) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
