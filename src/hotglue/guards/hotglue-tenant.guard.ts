import {
  BadRequestException,
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  mixin,
  type OnModuleInit,
  type Type,
  UnauthorizedException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getHotglueEnvironment } from '../environment/environment-ref.js';
import { resolveTenant, type TenantResolution } from './tenant-resolution.js';

/** Where a request names its tenant. */
export type HotglueTenantLocation =
  /** A query parameter, read from the raw URL so repeated or bracketed forms cannot slip past. */
  | { readonly query: string }
  /** A route parameter, e.g. `/tenants/:tenantId/token`. */
  | { readonly param: string };

/** How a host app tells the guard who the caller is and where the requested tenant is. */
export interface HotglueTenantGuardOptions<Request = unknown> {
  /**
   * The authenticated principal's tenant ids, read from what the host's auth guard attached (e.g.
   * `req.user.tenants`). Return `undefined` when nobody is authenticated: the guard answers 401.
   */
  readonly tenantsOf: (request: Request) => readonly string[] | undefined;
  /** Where the tenant is named. Default `{ query: 'tenantId' }`. Headers are never read. */
  readonly from?: HotglueTenantLocation;
  /** Use the principal's only tenant when the request names none. Default `true`. */
  readonly defaultToOnlyTenant?: boolean;
  /**
   * Binds the guard to a named environment (`HotglueModule.forRoot({ name })`): the app fails at start-up
   * when that environment is not registered, and the name is stored on the request beside the tenant
   * (`@HotglueTenantEnvironment()`), so one handler can serve several environments. Default: the unnamed one.
   */
  readonly environment?: string;
}

/** Property of the request where the guard stores the tenant it authorized. */
export const HOTGLUE_TENANT_REQUEST_KEY = 'hotglueTenantId';
/** Property of the request where the guard stores the environment it is bound to (absent: unnamed). */
export const HOTGLUE_ENVIRONMENT_REQUEST_KEY = 'hotglueEnvironment';

type RequestLike = {
  url?: string;
  originalUrl?: string;
  params?: Record<string, unknown>;
  [HOTGLUE_TENANT_REQUEST_KEY]?: string;
  [HOTGLUE_ENVIRONMENT_REQUEST_KEY]?: string;
};

/**
 * Builds a guard that lets a request through only for a tenant its principal owns, and stores that tenant
 * on the request for `@HotglueTenant()`. Put it after your auth guard and before anything that signs:
 *
 * ```ts
 * const TenantGuard = HotglueTenantGuard({ tenantsOf: (req: AuthedRequest) => req.user?.tenants });
 *
 * @UseGuards(AuthGuard, TenantGuard)
 * @Get('hotglue/token')
 * token(@HotglueTenant() tenantId: string) { return this.tokens.getToken(tenantId); }
 * ```
 *
 * Refusals: 401 without a principal; 400 for a malformed id, an id given twice, or several tenants and
 * none named; 403 for a tenant the principal does not own, or a principal without tenants.
 */
export function HotglueTenantGuard<Request = unknown>(
  options: HotglueTenantGuardOptions<Request>,
): Type<CanActivate> {
  const from = options.from ?? { query: 'tenantId' };
  const defaultToOnlyTenant = options.defaultToOnlyTenant ?? true;

  const environment = options.environment;

  class TenantGuard implements CanActivate, OnModuleInit {
    constructor(@Inject(ModuleRef) private readonly moduleRef: ModuleRef) {}

    /** Fails the app's start-up, not a request, when the bound environment is not registered. */
    onModuleInit(): void {
      if (environment !== undefined) getHotglueEnvironment(this.moduleRef, environment);
    }

    canActivate(context: ExecutionContext): boolean {
      const request = context.switchToHttp().getRequest<RequestLike>();
      const resolution = resolveTenant({
        principalTenants: options.tenantsOf(request as Request),
        requested: requestedTenants(request, from),
        defaultToOnlyTenant,
      });
      if (resolution.kind !== 'ok') throw refusal(resolution);
      request[HOTGLUE_TENANT_REQUEST_KEY] = resolution.tenantId;
      if (environment !== undefined) request[HOTGLUE_ENVIRONMENT_REQUEST_KEY] = environment;
      return true;
    }
  }
  return mixin(TenantGuard);
}

/**
 * The raw query string is parsed here, not by the framework: Express 4 ("extended"), Express 5 ("simple")
 * and Fastify turn `?tenantId=a&tenantId=b` or `?tenantId[]=a` into different shapes, and a guard must
 * see every value to refuse duplicates.
 */
function requestedTenants(request: RequestLike, from: HotglueTenantLocation): string[] {
  if ('param' in from) {
    const value = request.params?.[from.param];
    return typeof value === 'string' ? [value] : [];
  }
  const url = request.originalUrl ?? request.url ?? '';
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return [];
  return new URLSearchParams(url.slice(queryStart + 1)).getAll(from.query);
}

function refusal(resolution: Exclude<TenantResolution, { kind: 'ok' }>): Error {
  switch (resolution.kind) {
    case 'unauthenticated':
      return new UnauthorizedException('Authentication required.');
    case 'malformed':
      return new BadRequestException('tenantId is malformed.');
    case 'duplicate':
      return new BadRequestException('tenantId must be given at most once.');
    case 'ambiguous':
      return new BadRequestException('You belong to several tenants; name one with tenantId.');
    case 'no-tenants':
      return new ForbiddenException('You do not belong to any tenant.');
    case 'forbidden':
      return new ForbiddenException('You do not have access to this tenant.');
  }
}

/** The tenant `HotglueTenantGuard` authorized for this request (a route parameter decorator). */
export const HotglueTenant = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const tenantId = context.switchToHttp().getRequest<RequestLike>()[HOTGLUE_TENANT_REQUEST_KEY];
  // Reaching a handler without the guard is a wiring bug; failing closed beats signing for `undefined`.
  if (typeof tenantId !== 'string')
    throw new Error('@HotglueTenant() used on a route without HotglueTenantGuard.');
  return tenantId;
});

/**
 * The environment the route's `HotglueTenantGuard` is bound to (its `environment` option), or `undefined`
 * for the unnamed one. Resolve the matching client with `moduleRef.get(getHotglueClientToken(name))`.
 */
export const HotglueTenantEnvironment = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<RequestLike>()[HOTGLUE_ENVIRONMENT_REQUEST_KEY],
);
