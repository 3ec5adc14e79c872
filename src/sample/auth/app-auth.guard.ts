import {
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type AuthenticatedRequest, toPrincipal } from './app-principal.js';

/** `Bearer` followed by one compact JWT, nothing else. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Stand-in for the host app's own login: `Authorization: Bearer <HS256 JWT signed with APP_AUTH_SECRET>`
 * with claims `{ sub, tenants }`. Only HS256 is accepted (no `none`, no algorithm confusion). Every failure
 * is the same 401, so a caller learns nothing about why its token was refused.
 */
@Injectable()
export class AppAuthGuard implements CanActivate {
  constructor(@Inject(JwtService) private readonly jwt: JwtService) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest & { headers: Record<string, unknown> }>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    let claims: unknown;
    if (match) {
      try {
        // Synchronous on purpose: an HMAC check takes microseconds; the async variant only adds promise hops.
        claims = this.jwt.verify(match[1]!, { algorithms: ['HS256'] });
      } catch {
        claims = undefined;
      }
    }
    const principal = toPrincipal(claims);
    if (!principal) {
      // `header()` exists on Express's response and Fastify's reply alike (`setHeader` is Express only).
      http.getResponse<{ header(name: string, value: string): void }>().header('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException('A valid bearer token is required.');
    }
    request.user = principal;
    return true;
  }
}
