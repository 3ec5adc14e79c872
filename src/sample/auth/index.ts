export { AppAuthGuard } from './app-auth.guard.js';
export { type AppPrincipal, type AuthenticatedRequest, toPrincipal } from './app-principal.js';
export { type AppTokenClaims, signAppToken } from './app-token.js';
