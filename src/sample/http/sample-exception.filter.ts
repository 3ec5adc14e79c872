import type { ArgumentsHost, ExceptionFilter, HttpException, LoggerService } from '@nestjs/common';
import { Catch } from '@nestjs/common';
import { HotglueError, HotglueRequestError, HotglueTenantIdError } from '../../hotglue/index.js';
import { logSafe } from './log-safe.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  /** Express. */
  json?(body: unknown): void;
  /** Fastify's reply (serialises objects as JSON). */
  send?(body: unknown): void;
  headersSent?: boolean;
  /** Fastify's reply: set once a response went out. */
  sent?: boolean;
}

/** Public error body: status and a fixed message, never a stack, a cause or upstream text. */
export interface ErrorBody {
  readonly statusCode: number;
  readonly message: string | string[];
  readonly error?: string;
}

/**
 * Every error leaves as a small JSON body. `HttpException`s keep their own (ours, secret-free) message.
 * Anything else is a generic 500, or 502 for a failed hotglue API call, and is logged by name and code only:
 * messages of foreign errors may quote URLs with `token=` or upstream bodies, so they stay out of the log.
 * hotglue's own errors are documented never to carry a secret, so their message is logged.
 */
@Catch()
export class SampleExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<JsonResponse>();
    const request = http.getRequest<{ method?: string; path?: string; url?: string }>();
    // Express has `path`; Fastify only `url`, whose query is dropped (it may hold anything a caller sent).
    const path = request.path ?? request.url?.split('?')[0] ?? '?';
    // The path is the client's text: escaped so that it cannot forge or hide a log line.
    const route = logSafe(`${request.method ?? '?'} ${path}`);
    const { status, body } = this.toBody(exception, route);
    if (response.headersSent || response.sent) return;
    const reply = response.status(status);
    if (reply.json) reply.json(body);
    else reply.send?.(body);
  }

  private toBody(exception: unknown, route: string): { status: number; body: ErrorBody | object } {
    if (isHttpException(exception)) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      // Object payloads were built by our guards, Nest or terminus (the health report), never from upstream
      // text, so they pass through as they are.
      if (typeof payload === 'object' && payload !== null) return { status, body: payload };
      return {
        status,
        body: { statusCode: status, message: typeof payload === 'string' ? payload : exception.message },
      };
    }
    if (exception instanceof HotglueTenantIdError) {
      return generic(400, 'tenantId is malformed.', 'Bad Request');
    }
    if (exception instanceof HotglueError) {
      // Secret-free by design; the client's errors carry status, hotglue's Code/Message and the path with
      // `token` redacted. A failed hotglue call is the upstream's failure (502), anything else ours (500).
      // hotglue's own text inside the message is escaped already; escaping again costs nothing and keeps
      // this line safe whatever a future error class puts in its message.
      this.logger.error(
        `${route} failed: ${exception.name} (${exception.code}): ${logSafe(exception.message)}`,
      );
      return exception instanceof HotglueRequestError
        ? generic(502, 'The hotglue request failed.', 'Bad Gateway')
        : generic(500, 'Internal server error', 'Internal Server Error');
    }
    const name = exception instanceof Error ? exception.name : typeof exception;
    this.logger.error(`${route} failed: ${name} (details withheld from the log)`);
    return generic(500, 'Internal server error', 'Internal Server Error');
  }
}

/**
 * Duck-typed, not `instanceof HttpException`: a CommonJS peer such as `@nestjs/throttler` can see another
 * copy of `@nestjs/common` than the app (under tsx, `npm start`, its `require` and the app's `import` load
 * two), and then its 429 would fail an `instanceof` check and leave as a 500.
 */
export function isHttpException(value: unknown): value is HttpException {
  const candidate = value as Partial<HttpException> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.getStatus === 'function' &&
    typeof candidate.getResponse === 'function'
  );
}

function generic(status: number, message: string, error: string): { status: number; body: ErrorBody } {
  return { status, body: { statusCode: status, message, error } };
}
