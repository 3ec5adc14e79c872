/**
 * Run by http-stack-lazy.spec.ts in a child process: boots HotglueModule with an inline key, signs a token,
 * writes a marker to the probe's log, then makes one API call (to a closed loopback port), which opens the
 * HTTP stack. Then boots it again with the key in a file and reads that file as the key-file watcher does
 * (the only path that needs `node:fs/promises`), and writes a last marker.
 */
import 'reflect-metadata';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const library = await import('../../src/hotglue/index.js');
const { HotglueSigningKeyLifecycle } = await import('../../src/hotglue/signing-key-lifecycle.js');
const { NestFactory } = await import('@nestjs/core');
const { generateTestSigningKey } = await import('../../src/hotglue-testing/signing-keys.js');
const log = (line: string) => appendFileSync(process.env.HTTP_STACK_PROBE_LOG!, `${line}\n`);
const key = generateTestSigningKey('lazy-http');
const options = {
  envId: 'dev.example.hotglue.xyz',
  apiUrl: 'http://127.0.0.1:1',
  secretApiKey: 'sk-lazy-http-probe',
  http: { maxAttempts: 1 },
};
const app = await NestFactory.createApplicationContext(
  library.HotglueModule.forRoot({ ...options, signingKey: key.privateKeyBase64 }),
  { logger: false },
);
const token = await app.get(library.HotglueTokenService).getToken('acme');
log(`token signed (${token.token.split('.').length} parts)`);
await app
  .get(library.HotglueClient)
  .listTenants()
  .catch(() => undefined); // refused: only the loading matters here
await app.close();

const dir = mkdtempSync(join(tmpdir(), 'http-stack-key-'));
try {
  const keyFile = join(dir, 'key.b64');
  writeFileSync(keyFile, key.privateKeyBase64);
  const fromFile = await NestFactory.createApplicationContext(
    library.HotglueModule.forRoot({ ...options, signingKeyFile: keyFile, signingKeyFilePollMs: 5_000 }),
    { logger: false },
  );
  await fromFile.get(HotglueSigningKeyLifecycle).checkKeyFile();
  log('key file checked');
  await fromFile.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
