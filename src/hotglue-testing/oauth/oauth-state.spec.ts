import { describe, expect, it } from 'vitest';
import { withAbsoluteUrls } from '../catalog/relative-urls.js';
import { parseOAuthState } from './oauth-state.js';

describe('parseOAuthState', () => {
  const base = { user_id: 'acme', env_id: 'dev.x.hotglue.xyz', flow: 'f1' };

  it('reads the source, target and connector shapes the widget builds', () => {
    expect(parseOAuthState(JSON.stringify({ ...base, tap_name: 'hubspot' }))).toEqual({
      kind: 'source',
      envId: 'dev.x.hotglue.xyz',
      flowId: 'f1',
      tenantId: 'acme',
      name: 'hubspot',
    });
    expect(parseOAuthState(JSON.stringify({ ...base, target_name: 'target-x' }))).toMatchObject({
      kind: 'target',
      name: 'target-x',
    });
    const connector = { ...base, flowVersion: 2, entity_id: 'sf', entity_type: 'connector' };
    expect(parseOAuthState(JSON.stringify(connector))).toMatchObject({ kind: 'connector', name: 'sf' });
  });

  it('reads a base64 state (a few taps get one) and refuses anything incomplete', () => {
    const encoded = Buffer.from(JSON.stringify({ ...base, tap_name: 'gong' })).toString('base64');
    expect(parseOAuthState(encoded)).toMatchObject({ kind: 'source', name: 'gong' });
    expect(parseOAuthState(undefined)).toBeUndefined();
    expect(parseOAuthState('not json')).toBeUndefined();
    expect(parseOAuthState('[]')).toBeUndefined();
    expect(parseOAuthState(JSON.stringify({ ...base, tap_name: '' }))).toBeUndefined();
    expect(parseOAuthState(JSON.stringify({ tap_name: 'x', env_id: 'e', flow: 'f' }))).toBeUndefined();
  });
});

describe('withAbsoluteUrls', () => {
  it('makes popup URLs that start with / absolute on the emulator and leaves the rest alone', () => {
    const entry = {
      tap: 'x',
      tap_url: '/_oauth/authorize?provider=x',
      auth_url: '//elsewhere/a',
      target_url: 'https://a/b',
    };
    expect(withAbsoluteUrls(entry, 'http://127.0.0.1:9')).toEqual({
      ...entry,
      tap_url: 'http://127.0.0.1:9/_oauth/authorize?provider=x',
    });
    const untouched = { tap: 'y' };
    expect(withAbsoluteUrls(untouched, 'http://127.0.0.1:9')).toBe(untouched);
  });
});
