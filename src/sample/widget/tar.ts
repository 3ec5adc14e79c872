import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

/**
 * One regular file's bytes from a gzipped tar (pure; undefined when absent). Enough of ustar for npm
 * tarballs: 512-byte headers, octal sizes, the ustar `prefix` field, and pax/GNU long-name records skipped
 * over. A corrupt archive throws rather than returning a partial file.
 */
export function readTgzEntry(tgz: Buffer, name: string): Buffer | undefined {
  const tar = gunzipSync(tgz);
  let offset = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size) || size < 0) throw new Error('corrupt tar header');
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 345, 155);
    const path = prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100);
    const start = offset + BLOCK;
    if (start + size > tar.length) throw new Error('truncated tar entry');
    if ((type === '0' || type === '\0') && path === name)
      return Buffer.from(tar.subarray(start, start + size));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}
