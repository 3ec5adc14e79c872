// The README's stand-in for the app's own auth: `x-user: alice` is a user of tenant `acme`.
import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';

export const USERS: Record<string, string[]> = { alice: ['acme'], bob: ['globex'] };

export interface AuthedRequest {
  headers: Record<string, string | undefined>;
  user?: { id: string; tenantIds: string[] };
}

@Injectable()
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const id = request.headers['x-user'];
    const tenantIds = id === undefined ? undefined : USERS[id];
    if (id === undefined || tenantIds === undefined) throw new UnauthorizedException();
    request.user = { id, tenantIds };
    return true;
  }
}
