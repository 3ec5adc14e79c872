/**
 * Run by http-stack-lazy.spec.ts in a child process: boots HotglueModule, signs a token, writes a marker to
 * the probe's log, then makes one API call (to a closed loopback port), which opens the HTTP stack.
 */
import 'reflect-metadata';
import { appendFileSync } from 'node:fs';

const library = await import('../../src/hotglue/index.js');
const { NestFactory } = await import('@nestjs/core');
const { generateTestSigningKey } = await import('../../src/hotglue-testing/signing-keys.js');
const key = generateTestSigningKey('lazy-http');
const app = await NestFactory.createApplicationContext(
  library.HotglueModule.forRoot({
    envId: 'dev.example.hotglue.xyz',
    signingKey: key.privateKeyBase64,
    apiUrl: 'http://127.0.0.1:1',
    secretApiKey: 'sk-lazy-http-probe',
    http: { maxAttempts: 1 },
  }),
  { logger: false },
);
const token = await app.get(library.HotglueTokenService).getToken('acme');
appendFileSync(process.env.HTTP_STACK_PROBE_LOG!, `token signed (${token.token.split('.').length} parts)\n`);
await app
  .get(library.HotglueClient)
  .listTenants()
  .catch(() => undefined); // refused: only the loading matters here
await app.close();
