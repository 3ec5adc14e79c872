import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { answerAndClose } from './answer-and-close.js';
import type { WebhookPathMatcher } from './path-matcher.js';
import { type BodyLimits, type BodyRefusal, readWebhookBody, setCapturedBody } from './read-webhook-body.js';

/** The parts of a Fastify request the hook uses (typed here so the library never imports fastify). */
interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  readonly method: string;
  readonly url: string;
  readonly routeOptions?: { readonly url?: string };
}

/** The parts of a Fastify reply the hook uses. */
interface FastifyReplyLike {
  readonly raw: ServerResponse;
  hijack(): unknown;
}

/**
 * A Fastify `preParsing` hook (runs after `onRequest`, i.e. after Nest middleware, and before the content
 * type parser). For a POST to the webhook route it reads the raw payload (within `limits`), stores it on the
 * Node request, and marks the request body-less (`content-type` removed, `content-length: 0`) so Fastify
 * calls the handler without parsing: no `bodyLimit` 413 and no JSON 400 before the signature is checked,
 * and no 415 for an unsigned body of another type (which must be 401). A refused body (413, 408, 503) is
 * answered here on the hijacked reply and its connection closed. Fastify sets no `requestTimeout`, so the
 * body deadline is this hook's own.
 */
export function fastifyBodyCapture(
  matcher: WebhookPathMatcher,
  limits: BodyLimits,
  onRefused: (refusal: BodyRefusal) => void,
) {
  return function hotglueWebhookBodyCapture(
    request: FastifyRequestLike,
    reply: FastifyReplyLike,
    payload: Readable,
    done: (error: Error | null, payload?: Readable) => void,
  ): void {
    if (request.method !== 'POST' || !matcher.matches(request.routeOptions?.url ?? request.url)) {
      done(null, payload);
      return;
    }
    const headers = request.raw.headers;
    readWebhookBody(payload, headers, limits).then((captured) => {
      if (captured.kind === 'refused') {
        // Hijacked: Fastify leaves the response to us and stops the request's lifecycle at `done`.
        reply.hijack();
        answerAndClose(request.raw, reply.raw, captured);
        onRefused(captured);
        done(null);
        return;
      }
      setCapturedBody(request.raw, captured);
      delete headers['content-type'];
      delete headers['transfer-encoding'];
      headers['content-length'] = '0';
      done(null, payload);
    }, done);
  };
}
