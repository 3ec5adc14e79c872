import { describe, expect, it } from 'vitest';
import { normalizePath, WebhookPathMatcher } from './path-matcher.js';

describe('WebhookPathMatcher', () => {
  it('matches the path with and without the global prefix, any case, one trailing slash, any query', () => {
    let prefix = 'api/v1';
    const matcher = new WebhookPathMatcher('hotglue/webhooks', () => prefix);
    expect(matcher.matches('/hotglue/webhooks')).toBe(true);
    expect(matcher.matches('/api/v1/hotglue/webhooks/?x=1')).toBe(true);
    expect(matcher.matches('/API/V1/Hotglue/Webhooks')).toBe(true);
    expect(matcher.matches('/hotglue/webhooks/extra')).toBe(false);
    expect(matcher.matches('/other/hotglue/webhooks')).toBe(false);
    prefix = 'changed'; // read once, on the first request
    expect(matcher.matches('/changed/hotglue/webhooks')).toBe(false);
    expect(normalizePath('/A/b/?x')).toBe('/a/b');
    expect(matcher.matches('/hotglue//webhooks')).toBe(false);
    // As Express routes them (parseurl / url.parse): a fragment ends the path, before or after a query.
    expect(matcher.matches('/hotglue/webhooks#x')).toBe(true);
    expect(matcher.matches('/hotglue/webhooks/#x?y')).toBe(true);
    expect(matcher.matches('/hotglue/webhooks?y#x')).toBe(true);
    expect(matcher.matches('/hotglue/webhooks%23x')).toBe(false);
    // Absolute-form targets, as Express routes them: on their path.
    expect(matcher.matches('http://x/hotglue/webhooks')).toBe(true);
    expect(matcher.matches('https://x:8443/Hotglue/Webhooks/?y#z')).toBe(true);
    expect(matcher.matches('http://x/other')).toBe(false);
    expect(matcher.matches('http://x?/hotglue/webhooks')).toBe(false);
  });
});
