import { inspect } from 'node:util';
import { HotglueSigningKeyError, type HotglueSigningKeyProblem } from '../hotglue.errors.js';
import { type HotglueSigningKey, parseSigningKey } from './signing-key.js';

/** The last refused replacement key, kept until a good key is accepted. Holds no key material. */
export interface SigningKeyRejection {
  /** The setting the refused key came from, e.g. `signingKeyFile (HOTGLUE_SIGNING_KEY_FILE)`. */
  readonly setting: string;
  /** Why it was refused. */
  readonly problem: HotglueSigningKeyProblem;
  /** When it was refused. */
  readonly at: Date;
}

/** Called after a new key became active (never for a refused one). */
export type SigningKeyListener = (next: HotglueSigningKey, previous: HotglueSigningKey) => void;
/** Called when a replacement key is refused; the error names the setting, never the value. */
export type SigningKeyRejectionListener = (error: HotglueSigningKeyError) => void;

/**
 * The active signing key of one environment and the way to replace it (pure: no Nest, no timers, no files).
 *
 * A replacement is parsed and validated exactly as at boot (`parseSigningKey`) before anything changes, then
 * swapped in one assignment: JavaScript runs it between two signings, so every signing uses either the old
 * key or the new one, never a mix, and none fails. Listeners (the token cache) run synchronously right after
 * the swap. A refused replacement changes nothing but `rejection`, which health checks report.
 */
export class SigningKeyState {
  #current: HotglueSigningKey;
  #rejection: SigningKeyRejection | undefined;
  readonly #listeners = new Set<SigningKeyListener>();
  readonly #rejectionListeners = new Set<SigningKeyRejectionListener>();

  /**
   * A `HotglueSigningKey` whose fields always read the active key: what `HOTGLUE_SIGNING_KEY` injects, so a
   * host app (or a test's signer override) that kept the object sees a rotation too.
   */
  readonly view: HotglueSigningKey;

  constructor(initial: HotglueSigningKey) {
    this.#current = initial;
    this.view = liveView(() => this.#current);
  }

  /** The key signing now. */
  get current(): HotglueSigningKey {
    return this.#current;
  }

  /** The last refused replacement, or `undefined` once the active key is the newest one offered. */
  get rejection(): SigningKeyRejection | undefined {
    return this.#rejection;
  }

  /**
   * Validates `input` as at boot and makes it the active key. Throws `HotglueSigningKeyError` (naming
   * `setting`, never the value) and keeps the current key when it is refused. Returns the active key.
   */
  rotate(input: string | Buffer, setting: string): HotglueSigningKey {
    let next: HotglueSigningKey;
    try {
      next = parseSigningKey(input, setting);
    } catch (error) {
      // Whatever the parser threw, a refused replacement is recorded (health down, one log line) and the
      // caller gets the typed error: an untyped one would otherwise vanish in the key-file watcher.
      const refused =
        error instanceof HotglueSigningKeyError
          ? error
          : new HotglueSigningKeyError(
              'unparseable',
              setting,
              'the key could not be parsed. Copy the key again from hotglue.',
            );
      this.reject(refused);
      throw refused;
    }
    return this.accept(next);
  }

  /** Makes an already validated key active; a key with the active fingerprint only clears `rejection`. */
  accept(next: HotglueSigningKey): HotglueSigningKey {
    this.#rejection = undefined;
    if (next.fingerprint === this.#current.fingerprint) return this.#current;
    const previous = this.#current;
    this.#current = next;
    for (const listener of this.#listeners) listener(next, previous);
    return next;
  }

  /** Records a refused replacement (e.g. a key file that became unreadable); the active key stays. */
  reject(error: HotglueSigningKeyError): void {
    this.#rejection = Object.freeze({ setting: error.setting, problem: error.problem, at: new Date() });
    for (const listener of this.#rejectionListeners) listener(error);
  }

  /** Registers a listener; returns the function that removes it. */
  onRotate(listener: (next: HotglueSigningKey, previous: HotglueSigningKey) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Registers a listener for refused replacements; returns the function that removes it. */
  onReject(listener: (error: HotglueSigningKeyError) => void): () => void {
    this.#rejectionListeners.add(listener);
    return () => this.#rejectionListeners.delete(listener);
  }
}

function liveView(current: () => HotglueSigningKey): HotglueSigningKey {
  const view = {
    get privateKey() {
      return current().privateKey;
    },
    get publicKey() {
      return current().publicKey;
    },
    get publicKeyPem() {
      return current().publicKeyPem;
    },
    get publicJwk() {
      return current().publicJwk;
    },
    get fingerprint() {
      return current().fingerprint;
    },
    get modulusBits() {
      return current().modulusBits;
    },
  };
  // Inspecting the view shows what identifies the key, never the private half.
  Object.defineProperty(view, inspect.custom, {
    value: () =>
      `HotglueSigningKey { fingerprint: '${current().fingerprint}', modulusBits: ${current().modulusBits} }`,
    enumerable: false,
  });
  return Object.freeze(view);
}
