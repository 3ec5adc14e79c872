/** Chalice error names by status (see docs/hotglue-reference.md), plus gateway-style names for the 5xx faults. */
const CODES: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'UnauthorizedError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  405: 'MethodNotAllowedError',
  408: 'RequestTimeoutError',
  409: 'ConflictError',
  413: 'RequestEntityTooLargeError',
  422: 'UnprocessableEntityError',
  423: 'LockedError',
  429: 'TooManyRequestsError',
  500: 'ChaliceViewError',
  502: 'BadGatewayError',
  503: 'ServiceUnavailableError',
  504: 'GatewayTimeoutError',
};

/** hotglue's error `Code` for an HTTP status. */
export function errorCodeFor(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'ChaliceViewError' : 'BadRequestError');
}

/** The error body hotglue sends: `{ Code, Message }`. */
export interface HotglueErrorBody {
  Code: string;
  Message: string;
}

/** Thrown by route handlers; the server turns it into a hotglue error response. */
export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = errorCodeFor(status),
  ) {
    super(message);
    this.name = 'EmulatorHttpError';
  }

  /** The JSON body hotglue would send for this error. */
  toBody(): HotglueErrorBody {
    return { Code: this.code, Message: this.message };
  }
}

/** 400 BadRequestError. */
export const badRequest = (message: string) => new EmulatorHttpError(400, message);
/** 401 UnauthorizedError. */
export const unauthorized = (message: string) => new EmulatorHttpError(401, message);
/** 403 ForbiddenError. */
export const forbidden = (message: string) => new EmulatorHttpError(403, message);
/** 404 NotFoundError. */
export const notFound = (message: string) => new EmulatorHttpError(404, message);
