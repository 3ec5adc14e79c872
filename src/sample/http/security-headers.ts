import type { HelmetOptions } from 'helmet';

/**
 * helmet's defaults (HSTS, nosniff, frame-ancestors 'none' via CSP, no X-Powered-By, CORP same-origin, ...)
 * plus what a token endpoint needs: `Referrer-Policy: no-referrer`, so no URL of this app (nor a `token`
 * query the demo page sends to hotglue) ever travels in a Referer header, and a CSP whose `connect-src`
 * names only this origin and the hotglue API origin the demo page calls. `localHttp` (local mode, the only
 * mode with the demo page and hotglue's widget) drops `upgrade-insecure-requests` and relaxes the opener
 * policy to `same-origin-allow-popups`: the widget opens its OAuth consent popup on the emulator's origin
 * and watches `popup.closed`, which a `same-origin` opener policy would report as closed at once. Nothing
 * else is widened for the widget: its script is served by this origin, its styles are injected `<style>`
 * tags (`'unsafe-inline'` styles, already needed by Swagger UI), its icons are `data:` URIs and its calls go
 * to the emulator origin in `connect-src`.
 */
export function securityHeaders(connectOrigins: readonly string[], localHttp = false): HelmetOptions {
  return {
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: localHttp ? 'same-origin-allow-popups' : 'same-origin' },
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
