import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.js';

describe('securityHeaders', () => {
  it('lets the widget watch its OAuth popup in local mode only', () => {
    expect(securityHeaders([], true).crossOriginOpenerPolicy).toEqual({ policy: 'same-origin-allow-popups' });
    expect(securityHeaders([], false).crossOriginOpenerPolicy).toEqual({ policy: 'same-origin' });
  });

  it('widens nothing else for the widget: scripts from self, calls to the named API origin only', () => {
    const csp = securityHeaders(['http://127.0.0.1:4010'], true).contentSecurityPolicy as {
      directives: Record<string, unknown>;
    };
    expect(csp.directives['script-src']).toEqual(["'self'"]);
    expect(csp.directives['connect-src']).toEqual(["'self'", 'http://127.0.0.1:4010']);
    expect(csp.directives['img-src']).toEqual(["'self'", 'data:']);
  });
});
