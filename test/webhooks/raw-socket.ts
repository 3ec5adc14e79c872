import { connect, type Socket } from 'node:net';

/** What a raw HTTP/1.1 exchange ended with: the bytes received and whether the server closed the socket. */
export interface RawExchange {
  readonly status: number | undefined;
  readonly head: string;
  readonly body: string;
  readonly closedByServer: boolean;
  /** Bytes of body the client managed to hand to the kernel before the server stopped it. */
  readonly bytesWritten: number;
}

/** Opens a TCP connection to `url`'s host and port (node:net, no HTTP client in between). */
export function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Sends `head` (request line and headers, CRLF-separated, without the blank line) then lets `feed` write body
 * bytes; resolves once the server closed the connection or `waitMs` passed with a full response read.
 * The status line is parsed; nothing else is interpreted.
 */
export async function rawExchange(
  url: string,
  head: string,
  feed: (socket: Socket) => void | Promise<void> = () => undefined,
  waitMs = 10_000,
): Promise<RawExchange> {
  const socket = await openSocket(url);
  let received = '';
  let closedByServer = false;
  const finished = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    // 'end' is the server's FIN; an RST after the answer (a client still writing) ends it as an error.
    const closed = () => {
      closedByServer = true;
      clearTimeout(timer);
      resolve();
    };
    socket.once('end', closed);
    socket.once('error', closed);
    socket.once('close', closed);
  });
  socket.write(`${head}\r\n\r\n`);
  void Promise.resolve(feed(socket)).catch(() => undefined);
  await finished;
  const bytesWritten = socket.bytesWritten;
  socket.destroy();
  const split = received.indexOf('\r\n\r\n');
  const headText = split === -1 ? received : received.slice(0, split);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(headText)?.[1];
  return {
    status: status === undefined ? undefined : Number(status),
    head: headText,
    body: split === -1 ? '' : received.slice(split + 4),
    closedByServer,
    bytesWritten,
  };
}
