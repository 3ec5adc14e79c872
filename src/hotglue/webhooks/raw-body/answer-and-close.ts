import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { BodyRefusal } from './read-webhook-body.js';

/** How long a refused connection stays open, not read, so the client can read the answer before it closes. */
export const REFUSED_LINGER_MS = 1_000;

/** Fixed, secret-free texts, shaped like Nest's own error bodies. */
const MESSAGES: Record<BodyRefusal['status'], string> = {
  408: 'The webhook body did not arrive in time.',
  413: 'The webhook body is too large.',
  503: 'Too many webhook bodies in flight; deliver it again later.',
};

/** Seconds a client is asked to wait after a 503 for the body budget. */
const RETRY_AFTER_SECONDS = 1;

/**
 * Answers a webhook request whose body is refused before or while it is read (413, 408, 503), from the
 * capture layer, on Express and Fastify alike: the framework never sees the request. Reading stops, the
 * answer is written straight to the socket with `Connection: close`, our side is half-closed (FIN), and
 * the socket is destroyed after `REFUSED_LINGER_MS` (unless the client closed first). Nothing more of the
 * body is read: a client still sending finds the connection gone.
 */
export function answerAndClose(req: IncomingMessage, res: ServerResponse, refusal: BodyRefusal): void {
  req.pause();
  const { status } = refusal;
  const text = JSON.stringify({ message: MESSAGES[status], error: STATUS_CODES[status], statusCode: status });
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...(status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {}),
  };
  const socket = req.socket;
  if (req.httpVersionMajor !== 1) {
    // HTTP/2 (Fastify `http2: true`): one stream of a shared session; answer on it and end it.
    if (!res.headersSent) res.writeHead(status, headers);
    res.end(text);
    return;
  }
  if (!socket || socket.destroyed) return;
  if (res.socket !== socket) {
    // A pipelined request whose turn has not come: it cannot be answered in order, only dropped.
    socket.destroy();
    return;
  }
  const lines = Object.entries({ ...headers, connection: 'close' }).map(
    ([name, value]) => `${name}: ${value}`,
  );
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('\r\n')}\r\n\r\n${text}`);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
