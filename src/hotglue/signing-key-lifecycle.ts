import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HotglueSigningKeyError } from './hotglue.errors.js';
import { describeEnvironment } from './options/environment-names.js';
import type { HotglueSetup } from './options/validate-options.js';
import { type KeyFileWatcher, watchKeyFile } from './signing-key/key-file-watcher.js';
import { keyFileReadError } from './signing-key/load-signing-key.js';
import type { SigningKeyState } from './signing-key/signing-key-state.js';

/**
 * The Nest side of key rotation (the logic is in `SigningKeyState` and `watchKeyFile`): watches
 * `signingKeyFile` while the module lives, and writes the log lines. A rotation logs the old and new
 * fingerprints; a refused key logs one error naming the setting (never the value) per distinct bad
 * content, so a bad file left in place does not flood the log.
 */
export class HotglueSigningKeyLifecycle implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('HotglueSigningKey');
  private watcher: KeyFileWatcher | undefined;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly setup: HotglueSetup,
    private readonly state: SigningKeyState,
  ) {}

  onModuleInit(): void {
    const env = describeEnvironment(this.setup.name);
    this.logger.debug(`${env} signing key active: ${this.state.current.fingerprint}`);
    this.unsubscribe.push(
      this.state.onRotate((next, previous) =>
        this.logger.log(
          `${env} signing key rotated: ${previous.fingerprint} -> ${next.fingerprint}; cached tokens dropped.`,
        ),
      ),
      this.state.onReject((error) =>
        this.logger.error(
          `${env} signing key rotation refused, still signing with ${this.state.current.fingerprint}. ${error.message}`,
        ),
      ),
    );
    const file = this.setup.keyFile;
    if (!file) return;
    this.watcher = watchKeyFile({
      path: file.path,
      intervalMs: file.pollMs,
      onChange: (change) => {
        if (change.kind === 'error') {
          this.state.reject(keyFileReadError(change.code, file.setting));
          return;
        }
        try {
          this.state.rotate(change.content, file.setting);
        } catch (error) {
          // Recorded and logged by the state's listeners; anything else is a bug worth surfacing.
          if (!(error instanceof HotglueSigningKeyError)) throw error;
        }
      },
    });
  }

  /** Reads the key file now (tests and admin endpoints; the watcher does it on its own every poll). */
  checkKeyFile(): Promise<void> {
    return this.watcher?.check() ?? Promise.resolve();
  }

  onModuleDestroy(): void {
    this.watcher?.stop();
    this.watcher = undefined;
    for (const stop of this.unsubscribe.splice(0)) stop();
  }
}
