// The secret-name floor, on its own so that both the option schema (which refuses such a name in
// `credentialsProperties` at boot) and the credentials parser use it without one importing the other.

/**
 * Fragments that mark a name as secret wherever they appear (matched on the name lower-cased, with `_`, `-`,
 * `.` and spaces removed, so `apiKey`, `api-key` and `x.api_key` all match). Deliberately broad: `key` also
 * drops `api_key_id`, `auth` also drops `author`; a name wrongly withheld costs the host one read of
 * hotglue's raw config, a secret wrongly copied into `properties` travels wherever the host forwards "the
 * non-secret part".
 */
const SECRET_FRAGMENT =
  /token|secret|passw|passphrase|passcode|pincode|pwd|private|key|credential|session|cookie|signature|verifier|assertion|auth|bearer|jwt|hmac|dsn|connectionstr|connstr/;
/** Words too short to match inside other words (`pat` is in `path`, `pin` in `shipping`): whole words only. */
const SECRET_WORDS = new Set(['pass', 'pw', 'pin', 'pat', 'otp', 'totp', 'mfa', 'sig', 'salt', 'nonce']);

/**
 * Whether a config field name looks secret. Such a name never reaches `properties`, whichever list names
 * it (the built-in one, `credentialsProperties` or a call's `properties`): a floor under every allow-list.
 */
export function isSecretLookingName(name: string): boolean {
  if (name.toLowerCase() === 'code') return true; // the OAuth authorization code
  if (SECRET_FRAGMENT.test(name.toLowerCase().replace(/[\s_.-]+/g, ''))) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
  return words.some((word) => SECRET_WORDS.has(word));
}
