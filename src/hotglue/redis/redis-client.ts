/**
 * The one Redis command the library's Redis stores use: `EVAL` (each operation is a small atomic script).
 * An ioredis `Redis` or `Cluster` instance fits, and so does anything with the same `eval`; the library
 * never imports a Redis package itself, so `ioredis` stays an optional peer the host installs and creates.
 */
export interface HotglueRedisClient {
  eval(script: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Runs `operation`, turning a rejection or no answer within `timeoutMs` into `onError`'s error. */
export async function withTimeout<T>(
  operation: Promise<T>,
  timeoutMs: number,
  onError: (cause: unknown) => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onError(new Error(`no answer within ${timeoutMs} ms`))), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([operation.catch((cause: unknown) => Promise.reject(onError(cause))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
