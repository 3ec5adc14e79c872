import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** What the kit captured of a webhook request's body, before any framework parser could see it. */
export type CapturedBody =
  /** The exact bytes received, at most the cap. */
  | { readonly kind: 'body'; readonly body: Buffer }
  /** More than the cap was declared or sent; the rest was read and discarded. */
  | { readonly kind: 'too-large' }
  /** The client went away or the stream failed mid-body. */
  | { readonly kind: 'aborted' }
  /** Something read the body before the kit could (a parser mounted before Nest created the app). */
  | { readonly kind: 'consumed' };

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
 * Reads `stream` to its end, keeping at most `maxBytes`. Beyond the cap (declared by `Content-Length` or
 * found while reading) the rest is read and discarded, as body-parser does, so the connection stays usable
 * and the answer (413) goes out through the framework's normal error path.
 */
export function readCapped(
  stream: Readable,
  maxBytes: number,
  declaredLength?: string,
): Promise<CapturedBody> {
  return new Promise((resolve) => {
    const declared = declaredLength === undefined ? Number.NaN : Number(declaredLength);
    let tooLarge = Number.isFinite(declared) && declared > maxBytes;
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: CapturedBody) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    };
    const onEnd = () =>
      done(tooLarge ? { kind: 'too-large' } : { kind: 'body', body: Buffer.concat(chunks, size) });
    const onError = () => done({ kind: 'aborted' });
    // 'close' before 'end' means the client vanished mid-body.
    const onClose = () => done({ kind: 'aborted' });
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
