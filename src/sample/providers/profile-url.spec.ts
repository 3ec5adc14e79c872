import { describe, expect, it } from 'vitest';
import { credentialsFromConfig } from '../../hotglue/client/credentials-parse.js';
import { profileUrl } from './profile-url.js';
import { DEFAULT_PROVIDERS, staticProviders } from './provider-registry.js';
import { project } from './source-profile.js';

const salesforce = DEFAULT_PROVIDERS('salesforce')!;
const hubspot = DEFAULT_PROVIDERS('hubspot')!;
const href = (result: ReturnType<typeof profileUrl>) => ('url' in result ? result.url.href : result.problem);

describe('profileUrl (the SSRF boundary)', () => {
  it.each([
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com/services/oauth2/userinfo'],
    ['https://ACME.My.Salesforce.com/', 'https://acme.my.salesforce.com/services/oauth2/userinfo'],
    ['https://eu1.acme.my.salesforce.com', 'https://eu1.acme.my.salesforce.com/services/oauth2/userinfo'],
    ['https://test.salesforce.com', 'https://test.salesforce.com/services/oauth2/userinfo'],
  ])('allows %s', (instance, expected) => {
    expect(href(profileUrl(salesforce, { instance_url: instance }))).toBe(expected);
  });

  it.each([
    ['the bare suffix', 'https://my.salesforce.com'],
    ['a look-alike host', 'https://acme.my.salesforce.com.attacker.example'],
    ['a suffix without a dot', 'https://evilmy.salesforce.com'],
    ['plain http', 'http://acme.my.salesforce.com'],
    ['another port', 'https://acme.my.salesforce.com:8443'],
    ['credentials', 'https://u:p@acme.my.salesforce.com'],
    ['a query', 'https://acme.my.salesforce.com/?x=1'],
    ['an IP literal', 'https://10.0.0.1'],
    ['metadata', 'http://169.254.169.254'],
    ['loopback', 'http://127.0.0.1:8080'],
  ])('refuses %s', (_name, instance) => {
    expect(href(profileUrl(salesforce, { instance_url: instance }))).toBe('not-allowed');
  });

  it('uses baseUrl without instance_url; reports a missing or malformed base', () => {
    expect(href(profileUrl(hubspot, {}))).toBe('https://api.hubapi.com/account-info/v3/details');
    expect(href(profileUrl({ profilePath: '/me', fields: [] }, {}))).toBe('no-base-url');
    expect(href(profileUrl(salesforce, { instance_url: 'not a url' }))).toBe('malformed');
  });

  it('keeps the base path (the emulated provider lives under /_provider/{tap})', () => {
    const api = { origins: ['http://127.0.0.1:4000'], profilePath: '/me', fields: [] };
    expect(href(profileUrl(api, { instance_url: 'http://127.0.0.1:4000/_provider/x/' }))).toBe(
      'http://127.0.0.1:4000/_provider/x/me',
    );
  });

  it('a registry knows only its own taps', () => {
    const registry = staticProviders({ a: hubspot });
    expect(registry('a')).toBe(hubspot);
    expect(registry('__proto__')).toBeUndefined();
    expect(registry('constructor')).toBeUndefined();
  });
});

describe('project', () => {
  it('keeps allow-listed scalars and flat objects, drops the rest and any string holding a token', () => {
    const credentials = credentialsFromConfig(
      { access_token: 'at-canary-1', refresh_token: 'rt-canary-2' },
      0,
    )!;
    const answer = {
      id: 'u1',
      n: 3,
      ok: true,
      org: { id: 'o1', token: 'Bearer at-canary-1', deep: { x: 1 } },
      echo: 'your token is at-canary-1',
      list: [1, 2],
      secret: 'not allow-listed',
    };
    expect(project(answer, ['id', 'n', 'ok', 'org', 'echo', 'list', 'missing'], credentials)).toEqual({
      id: 'u1',
      n: 3,
      ok: true,
      org: { id: 'o1' },
    });
  });
});
