import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerAndClose } from './answer-and-close.js';
import type { WebhookPathMatcher } from './path-matcher.js';
import { type BodyLimits, type BodyRefusal, readWebhookBody, setCapturedBody } from './read-webhook-body.js';

/** Node's "request fully read" test, the one body-parser uses (`on-finished`) to skip a read body. */
function bodyAlreadyRead(req: IncomingMessage): boolean {
  return req.complete && !req.readable;
}

/**
 * An Express middleware mounted on the app before Nest registers its JSON and urlencoded parsers. For a POST
 * to the webhook path it reads the raw body (within `limits`) and stores it on the request; the stream is
 * then finished, so body-parser (2.x checks `on-finished`) skips the request: no 100 kB JSON limit, no 400
 * for a non-JSON body before the signature is checked. A refused body (413, 408, 503) is answered here and
 * its connection closed; the request never reaches the router. Other requests pass through untouched.
 */
export function expressBodyCapture(
  matcher: WebhookPathMatcher,
  limits: BodyLimits,
  onRefused: (refusal: BodyRefusal) => void,
) {
  return function hotglueWebhookBodyCapture(
    req: IncomingMessage,
    res: ServerResponse,
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
    readWebhookBody(req, req.headers, limits).then((captured) => {
      if (captured.kind === 'refused') {
        answerAndClose(req, res, captured);
        onRefused(captured);
        return;
      }
      setCapturedBody(req, captured);
      next();
    }, next);
  };
}
