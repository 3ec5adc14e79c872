import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookPathMatcher } from './path-matcher.js';
import { readCapped, setCapturedBody } from './read-capped.js';

/** Node's "request fully read" test, the one body-parser uses (`on-finished`) to skip a read body. */
function bodyAlreadyRead(req: IncomingMessage): boolean {
  return req.complete && !req.readable;
}

/**
 * An Express middleware mounted on the app before Nest registers its JSON and urlencoded parsers. For a POST
 * to the webhook path it reads the raw body (capped) and stores it on the request; the stream is then
 * finished, so body-parser (2.x checks `on-finished`) skips the request: no 100 kB JSON limit, no 400
 * for a non-JSON body before the signature is checked. Other requests pass through untouched.
 */
export function expressBodyCapture(matcher: WebhookPathMatcher, maxBytes: number) {
  return function hotglueWebhookBodyCapture(
    req: IncomingMessage,
    _res: ServerResponse,
    next: (error?: unknown) => void,
  ): void {
    if (req.method !== 'POST' || !matcher.matches(req.url ?? '/')) {
      next();
      return;
    }
    if (bodyAlreadyRead(req)) {
      setCapturedBody(req, { kind: 'consumed' });
      next();
      return;
    }
    readCapped(req, maxBytes, req.headers['content-length']).then((captured) => {
      setCapturedBody(req, captured);
      next();
    }, next);
  };
}
