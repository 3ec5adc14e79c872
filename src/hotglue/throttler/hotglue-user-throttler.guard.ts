import { type CanActivate, type ExecutionContext, Inject, mixin, Optional, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';

/** How the throttler finds the authenticated user of a request. */
export interface HotglueUserThrottlerGuardOptions<Request = unknown> {
  /** The authenticated user's stable id, or `undefined` for anonymous requests (then the IP is used). */
  readonly userOf: (request: Request) => string | undefined;
}

/** Thrown at boot when the app has no `ThrottlerModule` (one line, naming what to import). */
const MISSING_MODULE =
  'HotglueUserThrottlerGuard needs ThrottlerModule: add ThrottlerModule.forRoot({ throttlers: [...] }) from ' +
  "'@nestjs/throttler' to your AppModule's imports.";

/**
 * A `@nestjs/throttler` guard that counts requests per authenticated user instead of per IP, so users
 * behind one NAT do not share a budget and one user cannot spread requests over many IPs. Put it after the
 * auth guard. Blocked requests get 429 with `Retry-After` (seconds), also with `setHeaders: false`. Needs
 * `ThrottlerModule.forRoot()`; everything else (`@Throttle`, `@SkipThrottle`, named throttlers, storages,
 * `skipIf`, `ignoreUserAgents`) is `ThrottlerGuard`'s own, which this class only extends through its
 * documented `getTracker`, `generateKey` and `throwThrottlingException` hooks.
 *
 * ```ts
 * const UserThrottler = HotglueUserThrottlerGuard({ userOf: (req: AuthedRequest) => req.user?.id });
 * @UseGuards(AuthGuard, UserThrottler, TenantGuard)
 * ```
 */
export function HotglueUserThrottlerGuard<R = unknown>(
  options: HotglueUserThrottlerGuardOptions<R>,
): Type<CanActivate> {
  class UserThrottlerGuard extends ThrottlerGuard {
    // Explicit tokens instead of `design:paramtypes`: @nestjs/throttler is CommonJS, and under a loader such
    // as tsx its `require('@nestjs/core')` can yield a second `Reflector` class that the app's injector does
    // not know ("can't resolve dependencies ... Reflector at index [2]").
    // Optional only to replace Nest's "can't resolve dependencies of the <random mixin id> (?, ...)" with a
    // message naming the module to import.
    constructor(
      @Optional() @Inject(getOptionsToken()) throttlerOptions: ThrottlerModuleOptions | undefined,
      @Optional() @Inject(getStorageToken()) storage: ThrottlerStorage | undefined,
      @Inject(Reflector) reflector: Reflector,
    ) {
      if (throttlerOptions === undefined || storage === undefined) throw new Error(MISSING_MODULE);
      super(throttlerOptions, storage, reflector);
    }

    /** `user:<id>` for a signed-in user, `ip:<address>` otherwise: the prefixes keep the two from colliding. */
    protected override async getTracker(request: Record<string, unknown>): Promise<string> {
      const user = options.userOf(request as R);
      return user === undefined ? `ip:${await super.getTracker(request)}` : `user:${user}`;
    }

    /**
     * Route + throttler + tracker, unhashed: the base class hashes the key with SHA-256 on every request,
     * which buys nothing here (the tracker is a bounded user id or an IP) and costs a hash per request.
     */
    protected override generateKey(
      context: ExecutionContext,
      tracker: string,
      throttlerName: string,
    ): string {
      return `${context.getClass().name}:${context.getHandler().name}:${throttlerName}:${tracker}`;
    }

    /**
     * `Retry-After` (whole seconds) on every 429, whatever `setHeaders` says: the base class writes it only
     * together with the `X-RateLimit-*` headers, and a host may turn those off to keep responses small.
     */
    protected override async throwThrottlingException(
      context: ExecutionContext,
      detail: ThrottlerLimitDetail,
    ): Promise<void> {
      // `header()` exists on Express's response and Fastify's reply alike (`setHeader` is Express only).
      const response = context.switchToHttp().getResponse<{ header(name: string, value: string): void }>();
      response.header('Retry-After', String(Math.max(1, Math.ceil(detail.timeToBlockExpire))));
      await super.throwThrottlingException(context, detail);
    }
  }
  return mixin(UserThrottlerGuard);
}
