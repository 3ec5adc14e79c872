import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateTestSigningKey } from '../../hotglue-testing/signing-keys.js';
import { HotglueSigningKeyError } from '../hotglue.errors.js';
import { parseSigningKey } from './signing-key.js';
import { SigningKeyState } from './signing-key-state.js';

const a = generateTestSigningKey('state-a');
const b = generateTestSigningKey('state-b');

describe('SigningKeyState', () => {
  it('swaps to a validated key, tells listeners once, and its view follows', () => {
    const state = new SigningKeyState(parseSigningKey(a.privateKeyBase64));
    const view = state.view;
    const before = view.fingerprint;
    const seen: string[] = [];
    state.onRotate((next, previous) => seen.push(`${previous.fingerprint}->${next.fingerprint}`));
    const active = state.rotate(b.privateKeyPem, 'test');
    expect(view.fingerprint).toBe(active.fingerprint);
    expect(view.privateKey).toBe(active.privateKey);
    expect(seen).toEqual([`${before}->${active.fingerprint}`]);
    // The same key again (in another form) changes nothing and tells nobody.
    state.rotate(b.privateKeyBase64, 'test');
    expect(seen).toHaveLength(1);
  });

  it('keeps the key on a refused one, records the refusal, clears it on the next good key', () => {
    const state = new SigningKeyState(parseSigningKey(a.privateKeyBase64));
    const refusals: HotglueSigningKeyError[] = [];
    state.onReject((error) => refusals.push(error));
    const fingerprint = state.current.fingerprint;
    expect(() => state.rotate('not a key', 'HOTGLUE_X')).toThrow(HotglueSigningKeyError);
    expect(state.current.fingerprint).toBe(fingerprint);
    expect(state.rejection).toMatchObject({ setting: 'HOTGLUE_X', problem: 'not-base64-or-pem' });
    expect(refusals).toHaveLength(1);
    state.rotate(a.privateKeyPem, 'HOTGLUE_X');
    expect(state.rejection).toBeUndefined();
  });

  it('shows only the fingerprint and size when the view is inspected', () => {
    const state = new SigningKeyState(parseSigningKey(a.privateKeyBase64));
    const text = inspect(state.view, { depth: 5, showHidden: true });
    expect(text).toContain(state.current.fingerprint);
    expect(text).not.toContain('PRIVATE');
    expect(Object.isFrozen(state.view)).toBe(true);
  });
});
