import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  mixin,
  type OnModuleInit,
  Optional,
  type Type,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  getOptionsToken,
  getStorageToken,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { HotglueMemoryThrottlerStorage } from './memory-throttler-storage.js';
import { type PlannedThrottler, planRoute } from './route-plan.js';

/** How the throttler finds the authenticated user of a request. */
export interface HotglueUserThrottlerGuardOptions<Request = unknown> {
  /** The authenticated user's stable id, or `undefined` for anonymous requests (then the IP is used). */
  readonly userOf: (request: Request) => string | undefined;
}

/** Thrown at boot when the app has no `ThrottlerModule` (one line, naming what to import). */
const MISSING_MODULE =
  'HotglueUserThrottlerGuard needs ThrottlerModule: add ThrottlerModule.forRoot({ throttlers: [...] }) from ' +
  "'@nestjs/throttler' to your AppModule's imports.";

/** Prefixes keep a user id from ever colliding with an IP address (`ip:<address>`). */
const userTracker = (user: string) => `user:${user}`;

/**
 * `res.header()` on Express and Fastify alike; `setHeader` for anything else, as @nestjs/throttler 6.7 does
 * (6.6 has neither its `setResponseHeader` nor this fallback, so it is written here).
 */
type HeaderSink = {
  header?: (name: string, value: number) => unknown;
  setHeader?: (name: string, value: number) => unknown;
};
function setHeader(res: HeaderSink, name: string, value: number): void {
  if (res.header) res.header(name, value);
  else res.setHeader?.(name, value);
}

/** A route's throttlers, read once, and whether they can be decided without a promise. */
interface RoutePlan {
  readonly steps: readonly PlannedThrottler[];
  /** The storage is `HotglueMemoryThrottlerStorage` and every step uses this guard's own tracker. */
  readonly synchronous: boolean;
}

/**
 * A `@nestjs/throttler` guard that counts requests per authenticated user instead of per IP, so users
 * behind one NAT do not share a budget and one user cannot spread requests over many IPs. Put it after the
 * auth guard. Blocked requests get 429 with `Retry-After` (seconds), also with `setHeaders: false`. Needs
 * `ThrottlerModule.forRoot()`; with `storage: new HotglueMemoryThrottlerStorage()` (one instance) it decides a
 * signed-in user's request without a promise, the cheapest a guard can be.
 *
 * ```ts
 * const UserThrottler = HotglueUserThrottlerGuard({ userOf: (req: AuthedRequest) => req.user?.id });
 * @UseGuards(AuthGuard, UserThrottler, TenantGuard)
 * ```
 */
export function HotglueUserThrottlerGuard<R = unknown>(
  options: HotglueUserThrottlerGuardOptions<R>,
): Type<CanActivate> {
  /**
   * `@nestjs/throttler`'s guard with the route's metadata read once, and a synchronous path. Held by the
   * guard below rather than being it: Nest 12 awaits nothing for a guard that returns a boolean, and the
   * base class declares `canActivate(): Promise<boolean>`, which an override cannot narrow to that.
   */
  class UserThrottler extends ThrottlerGuard {
    /** Per handler and class: the route's plan, or null when the base class must resolve it per request. */
    private readonly plans = new WeakMap<object, WeakMap<object, RoutePlan | null>>();

    /**
     * The base class's decision, for the same metadata, options and storage (measured: its reflector
     * lookups, awaited resolutions and storage were most of the token route's cost). Routes whose limits
     * are functions of the request keep the base class's own path.
     */
    decide(context: ExecutionContext): boolean | Promise<boolean> {
      const plan = this.planOf(context);
      if (plan === null) return super.canActivate(context);
      return plan.synchronous ? this.decideNow(context, plan.steps) : this.decideLater(context, plan.steps);
    }

    private planOf(context: ExecutionContext): RoutePlan | null {
      const handler = context.getHandler();
      const classRef = context.getClass();
      let byClass = this.plans.get(handler);
      if (!byClass) {
        byClass = new WeakMap();
        this.plans.set(handler, byClass);
      }
      let plan = byClass.get(classRef);
      if (plan === undefined) {
        const steps = planRoute(this.reflector, this.throttlers, this.commonOptions, [handler, classRef]);
        // `commonOptions.getTracker` is this guard's own unless the module options name one.
        const ownTracker = Array.isArray(this.options) || this.options.getTracker === undefined;
        plan = steps
          ? {
              steps,
              synchronous:
                this.storageService instanceof HotglueMemoryThrottlerStorage &&
                ownTracker &&
                steps.every((step) => step.getTracker === this.commonOptions.getTracker),
            }
          : null;
        byClass.set(classRef, plan);
      }
      return plan;
    }

    /** Any storage: the base class's `handleRequest`, with the same values it would pass. */
    private async decideLater(
      context: ExecutionContext,
      steps: readonly PlannedThrottler[],
    ): Promise<boolean> {
      for (const step of steps) {
        if (step.skip || step.skipIf?.(context)) continue;
        // Returns true or throws the 429.
        await this.handleRequest({ context, ...step });
      }
      return true;
    }

    /**
     * `handleRequest` step for step (user agents ignored, the hit counted, the same headers, the same
     * exception) on the in-memory storage's synchronous `hit`. A spec runs one scenario through both paths
     * and compares every status and header. A refusal is the rejected promise of the base class's throw.
     */
    private decideNow(
      context: ExecutionContext,
      steps: readonly PlannedThrottler[],
    ): boolean | Promise<boolean> {
      const storage = this.storageService as HotglueMemoryThrottlerStorage;
      const { req, res } = this.getRequestResponse(context);
      const user = options.userOf(req as R);
      // Anonymous: the base class's IP tracker, which is async and normalises addresses as the installed
      // @nestjs/throttler does (6.6 uses `req.ip` as it is, 6.7 masks IPv6 subnets).
      if (user === undefined) return this.decideLater(context, steps);
      const tracker = userTracker(user);
      for (const step of steps) {
        if (step.skip || step.skipIf?.(context)) continue;
        const { throttler, limit, ttl, blockDuration } = step;
        const name = throttler.name!;
        const ignored = throttler.ignoreUserAgents ?? this.commonOptions.ignoreUserAgents;
        if (ignored?.some((pattern) => pattern.test(req.headers['user-agent']))) continue;
        const key = step.generateKey(context, tracker, name);
        const record = storage.hit(key, ttl, limit, blockDuration, name);
        const setHeaders = throttler.setHeaders ?? this.commonOptions.setHeaders ?? true;
        const suffix = name === 'default' ? '' : `-${name}`;
        if (record.isBlocked) {
          if (setHeaders) setHeader(res, `Retry-After${suffix}`, record.timeToBlockExpire);
          return this.throwThrottlingException(context, { limit, ttl, key, tracker, ...record }).then(
            () => true,
          );
        }
        if (setHeaders) {
          setHeader(res, `${this.headerPrefix}-Limit${suffix}`, limit);
          setHeader(res, `${this.headerPrefix}-Remaining${suffix}`, Math.max(0, limit - record.totalHits));
          setHeader(res, `${this.headerPrefix}-Reset${suffix}`, record.timeToExpire);
        }
      }
      return true;
    }

    protected override async getTracker(request: Record<string, unknown>): Promise<string> {
      const user = options.userOf(request as R);
      return user === undefined ? `ip:${await super.getTracker(request)}` : userTracker(user);
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

  class UserThrottlerGuard implements CanActivate, OnModuleInit {
    private readonly throttler: UserThrottler;

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
      this.throttler = new UserThrottler(throttlerOptions, storage, reflector);
    }

    onModuleInit(): Promise<void> {
      return this.throttler.onModuleInit();
    }

    canActivate(context: ExecutionContext): boolean | Promise<boolean> {
      return this.throttler.decide(context);
    }
  }
  return mixin(UserThrottlerGuard);
}
