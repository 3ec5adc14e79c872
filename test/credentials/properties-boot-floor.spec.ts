import { describe, expect, it } from 'vitest';
import { HotglueConfigError } from '../../src/hotglue/index.js';
import { generateTestSigningKey } from '../../src/hotglue-testing/signing-keys.js';
import { validateHotglueOptions } from '../support/library-internals.js';

const key = generateTestSigningKey('properties-boot-floor');

describe('credentialsProperties at boot: the secret-name floor', () => {
  it.each(['passcode', 'pincode', 'user_passcode', 'PinCode'])(
    'refuses %s, naming the option but not the name',
    (name) => {
      let caught: unknown;
      try {
        validateHotglueOptions({
          envId: 'dev.example.hotglue.xyz',
          signingKey: key.privateKeyBase64,
          credentialsProperties: ['region', name],
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HotglueConfigError);
      const message = (caught as Error).message;
      expect(message).toContain('credentialsProperties');
      expect(message).not.toContain(name);
    },
  );
});
