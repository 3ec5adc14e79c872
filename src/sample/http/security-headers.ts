import type { HelmetOptions } from 'helmet';

/**
 * helmet's defaults (HSTS, nosniff, frame-ancestors 'none' via CSP, no X-Powered-By, CORP same-origin, ...)
 * plus what a token endpoint needs: `Referrer-Policy: no-referrer`, so no URL of this app (nor a `token`
 * query the demo page sends to hotglue) ever travels in a Referer header, and a CSP whose `connect-src`
 * names only this origin and the hotglue API origin the demo page calls. `localHttp` (local mode) drops
 * `upgrade-insecure-requests`.
 */
export function securityHeaders(connectOrigins: readonly string[], localHttp = false): HelmetOptions {
  return {
    referrerPolicy: { policy: 'no-referrer' },
    contentSecurityPolicy: {
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        // Swagger UI at /docs sets inline styles; no inline script is allowed anywhere.
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ...connectOrigins],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        // Local mode serves and calls plain http on loopback; upgrading would break the demo's fetches.
        'upgrade-insecure-requests': localHttp ? null : [],
      },
    },
  };
}
