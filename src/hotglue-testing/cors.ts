import type { IncomingHttpHeaders } from 'node:http';

/**
 * CORS for browser callers: the widget (and the sample's demo page) call hotglue from the browser with
 * `x-api-key`, so every answer allows the caller's origin and preflights allow that header.
 */
export function corsHeaders(origin: string | undefined): Record<string, string> {
  return {
    'access-control-allow-origin': origin ?? '*',
    vary: 'Origin',
    'access-control-expose-headers': 'Retry-After, Location',
  };
}

/** Headers of a preflight (`OPTIONS`) answer. */
export function preflightHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {
    ...corsHeaders(headers.origin),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'x-api-key, content-type',
    'access-control-max-age': '600',
  };
  // Chromium's Private Network Access preflight for pages that call a loopback server.
  if (headers['access-control-request-private-network'] === 'true') {
    out['access-control-allow-private-network'] = 'true';
  }
  return out;
}
