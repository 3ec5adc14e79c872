import { type CanActivate, type ExecutionContext, Inject, mixin, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { type PlannedThrottler, planRoute } from './route-plan.js';

/** How the throttler finds the authenticated user of a request. */
export interface HotglueUserThrottlerGuardOptions<Request = unknown> {
  /** The authenticated user's stable id, or `undefined` for anonymous requests (then the IP is used). */
  readonly userOf: (request: Request) => string | undefined;
}

/**
 * A `@nestjs/throttler` guard that counts requests per authenticated user instead of per IP, so users
 * behind one NAT do not share a budget and one user cannot spread requests over many IPs. Put it after the
 * auth guard. Blocked requests get 429 with `Retry-After` (seconds), also with `setHeaders: false`. Needs
 * `ThrottlerModule.forRoot()`.
 *
 * ```ts
 * const UserThrottler = HotglueUserThrottlerGuard({ userOf: (req: AuthedRequest) => req.user?.id });
 * @UseGuards(AuthGuard, UserThrottler, TenantGuard)
 * ```
 */
export function HotglueUserThrottlerGuard<Request = unknown>(
  options: HotglueUserThrottlerGuardOptions<Request>,
): Type<CanActivate> {
  class UserThrottlerGuard extends ThrottlerGuard {
    // Explicit tokens instead of inherited `design:paramtypes`: @nestjs/throttler is CommonJS, and under a
    // loader such as tsx its `require('@nestjs/core')` can yield a second `Reflector` class that the app's
    // injector does not know ("can't resolve dependencies ... Reflector at index [2]").
    constructor(
      @Inject(getOptionsToken()) throttlerOptions: ThrottlerModuleOptions,
      @Inject(getStorageToken()) storage: ThrottlerStorage,
      @Inject(Reflector) reflector: Reflector,
    ) {
      super(throttlerOptions, storage, reflector);
    }

    /** Per handler and class: the route's plan, or null when the base class must resolve it per request. */
    private readonly plans = new WeakMap<object, WeakMap<object, PlannedThrottler[] | null>>();

    /**
     * The base class's decision with the route's metadata read once instead of on every request (measured:
     * the reflector lookups and awaited resolutions were most of the guard's cost on the token route).
     * Routes whose limits are functions of the request keep the base class's own path.
     */
    override async canActivate(context: ExecutionContext): Promise<boolean> {
      const handler = context.getHandler();
      const classRef = context.getClass();
      let byClass = this.plans.get(handler);
      if (!byClass) {
        byClass = new WeakMap();
        this.plans.set(handler, byClass);
      }
      let plan = byClass.get(classRef);
      if (plan === undefined) {
        plan = planRoute(this.reflector, this.throttlers, this.commonOptions, [handler, classRef]) ?? null;
        byClass.set(classRef, plan);
      }
      if (plan === null) return super.canActivate(context);
      for (const step of plan) {
        if (step.skip || step.skipIf?.(context)) continue;
        // Returns true or throws the 429; the same call, with the same values, the base class makes.
        await this.handleRequest({
          context,
          limit: step.limit,
          ttl: step.ttl,
          throttler: step.throttler,
          blockDuration: step.blockDuration,
          getTracker: step.getTracker,
          generateKey: step.generateKey,
        });
      }
      return true;
    }

    protected override async getTracker(request: Record<string, unknown>): Promise<string> {
      const user = options.userOf(request as Request);
      // Prefixes keep a user id from ever colliding with an IP address.
      return user === undefined ? `ip:${await super.getTracker(request)}` : `user:${user}`;
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
  }
  return mixin(UserThrottlerGuard);
}
