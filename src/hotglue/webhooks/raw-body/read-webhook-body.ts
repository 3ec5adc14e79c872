import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { BodyBudget } from './body-budget.js';

/** What the kit captured of a webhook request's body, before any framework parser could see it. */
export type CapturedBody =
  /** The exact bytes received, at most the cap. */
  | { readonly kind: 'body'; readonly body: Buffer }
  /** The client went away or the stream failed mid-body. */
  | { readonly kind: 'aborted' }
  /** Something read the body before the kit could (a parser mounted before Nest created the app). */
  | { readonly kind: 'consumed' };

/** A body refused by the capture layer itself, answered there (`answerAndClose`) and never routed. */
export type BodyRefusal =
  /** Declared or sent beyond `maxBodyBytes`. */
  | { readonly kind: 'refused'; readonly status: 413; readonly outcome: 'too-large' }
  /** Not complete within `bodyTimeoutMs`. */
  | { readonly kind: 'refused'; readonly status: 408; readonly outcome: 'body-timeout' }
  /** No room in the in-flight budget (`maxInFlightBodyBytes`). */
  | { readonly kind: 'refused'; readonly status: 503; readonly outcome: 'over-budget' };

/** The limits one webhook route reads bodies within. */
export interface BodyLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly budget: BodyBudget;
}

const TOO_LARGE: BodyRefusal = { kind: 'refused', status: 413, outcome: 'too-large' };
const TIMED_OUT: BodyRefusal = { kind: 'refused', status: 408, outcome: 'body-timeout' };
const OVER_BUDGET: BodyRefusal = { kind: 'refused', status: 503, outcome: 'over-budget' };

/** Where the capture is kept on the Node request (`req` on Express, `request.raw` on Fastify). */
export const CAPTURED_BODY = Symbol.for('nestjs-hotglue.webhook-body');

type WithCapture = { [CAPTURED_BODY]?: CapturedBody; raw?: { [CAPTURED_BODY]?: CapturedBody } };

/** The capture of a request as a Nest handler sees it (Express request or Fastify request). */
export function capturedBodyOf(request: unknown): CapturedBody | undefined {
  const req = request as WithCapture;
  return req[CAPTURED_BODY] ?? req.raw?.[CAPTURED_BODY];
}

/** Stores the capture on the Node request. */
export function setCapturedBody(req: IncomingMessage, captured: CapturedBody): void {
  (req as WithCapture)[CAPTURED_BODY] = captured;
}

/**
 * Reads a webhook body within `limits`, or refuses it:
 * - a declared `Content-Length` above the cap is refused from the header, before a byte is read (413);
 * - each chunk is reserved in the shared budget as it arrives, before it is kept; a chunk that does not fit
 *   is 503. Reserving as bytes arrive, not from the declared length, is what keeps idle connections that
 *   declare large bodies and send nothing from locking the budget against signed deliveries: a connection
 *   holds only what it actually sent;
 * - past the cap while reading (a chunked body), or past the deadline, reading stops at once (413, 408):
 *   the stream is paused and nothing more is read, the caller answers and closes the connection.
 * The reservation is released whatever the end (complete, refused, aborted).
 */
export function readWebhookBody(
  stream: Readable,
  headers: IncomingHttpHeaders,
  limits: BodyLimits,
): Promise<CapturedBody | BodyRefusal> {
  return new Promise((resolve) => {
    const header = headers['content-length'];
    const declared = header === undefined ? Number.NaN : Number(header);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      resolve(TOO_LARGE);
      return;
    }
    let reserved = 0;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: CapturedBody | BodyRefusal) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      limits.budget.release(reserved);
      // Without a 'data' listener a flowing stream would go on reading (and dropping) the rest.
      if (result.kind === 'refused') stream.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        chunks.length = 0;
        finish(TOO_LARGE);
      } else if (!limits.budget.tryReserve(chunk.length)) {
        chunks.length = 0;
        finish(OVER_BUDGET);
      } else {
        reserved += chunk.length;
        chunks.push(chunk);
      }
    };
    const onEnd = () => finish({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onError = () => finish({ kind: 'aborted' });
    // 'close' before 'end' means the client vanished mid-body.
    const onClose = () => finish({ kind: 'aborted' });
    const timer = setTimeout(() => finish(TIMED_OUT), limits.timeoutMs);
    timer.unref();
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
