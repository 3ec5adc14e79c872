import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { WebhookPathMatcher } from './path-matcher.js';
import { readCapped, setCapturedBody } from './read-capped.js';

/** The parts of a Fastify request the hook uses (typed here so the library never imports fastify). */
interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly url: string;
  readonly routeOptions?: { readonly url?: string };
}

/**
 * A Fastify `preParsing` hook (runs after `onRequest`, i.e. after Nest middleware, and before the content
 * type parser). For a POST to the webhook route it reads the raw payload (capped), stores it on the Node
 * request, and marks the request body-less (`content-type` removed, `content-length: 0`) so Fastify calls
 * the handler without parsing: no `bodyLimit` 413 and no JSON 400 before the signature is checked, and no
 * 415 for an unsigned body of another type (which must be 401).
 */
export function fastifyBodyCapture(matcher: WebhookPathMatcher, maxBytes: number) {
  return function hotglueWebhookBodyCapture(
    request: FastifyRequestLike,
    _reply: unknown,
    payload: Readable,
    done: (error: Error | null, payload?: Readable) => void,
  ): void {
    if (request.method !== 'POST' || !matcher.matches(request.routeOptions?.url ?? request.url)) {
      done(null, payload);
      return;
    }
    const headers = request.raw.headers;
    readCapped(payload, maxBytes, headers['content-length']).then((captured) => {
      setCapturedBody(request.raw, captured);
      delete headers['content-type'];
      delete headers['transfer-encoding'];
      headers['content-length'] = '0';
      done(null, payload);
    }, done);
  };
}
