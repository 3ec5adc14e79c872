import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A key file mounted the way Kubernetes mounts a secret: `<dir>/signing-key` -> `..data/signing-key`,
 * `..data` -> `..<version>/`. `swap()` writes a new version directory and replaces `..data` with one
 * rename, exactly as the kubelet's atomic writer does, so the file's path never points at nothing.
 */
export class MountedKeyFile {
  readonly dir = mkdtempSync(join(tmpdir(), 'hotglue-rotation-'));
  readonly path = join(this.dir, 'signing-key');
  private version = 0;

  constructor(initial: string) {
    this.writeVersion(initial);
    symlinkSync(join('..data', 'signing-key'), this.path);
  }

  /** Publishes `content` as the new version through a symlink swap. */
  swap(content: string): void {
    this.writeVersion(content);
  }

  private writeVersion(content: string): void {
    const name = `..v${++this.version}`;
    mkdirSync(join(this.dir, name));
    writeFileSync(join(this.dir, name, 'signing-key'), content, { mode: 0o600 });
    const temp = join(this.dir, '..data_tmp');
    symlinkSync(name, temp);
    renameSync(temp, join(this.dir, '..data'));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A plain key file rewritten in place (the non-Kubernetes case). */
export class PlainKeyFile {
  readonly dir = mkdtempSync(join(tmpdir(), 'hotglue-rotation-'));
  readonly path = join(this.dir, 'signing-key.b64');

  constructor(initial: string) {
    writeFileSync(this.path, initial, { mode: 0o600 });
  }

  write(content: string): void {
    writeFileSync(this.path, content, { mode: 0o600 });
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
