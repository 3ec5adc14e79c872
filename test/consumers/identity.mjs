// Run inside a consumer app (`node --input-type=module -e <this file>` with the app as cwd): the package
// loaded both ways in one process, ESM `import` and CommonJS `require`. Every export of every entry must be
// the same object both ways, and a service registered through one format must be injectable through the
// other (the dual-package hazard would give two HotglueTokenService classes and a failing `get`).
import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';

const require = createRequire(join(process.cwd(), 'index.js'));
let compared = 0;
for (const entry of ['nestjs-hotglue', 'nestjs-hotglue/throttler', 'nestjs-hotglue/testing']) {
  const esm = await import(entry);
  const cjs = require(entry);
  const names = Object.keys(esm).filter((name) => name !== 'default');
  assert.deepEqual(
    names.sort(),
    Object.keys(cjs)
      .filter((name) => name !== '__esModule')
      .sort(),
    entry,
  );
  for (const name of names) {
    assert.equal(esm[name], cjs[name], `${entry}: ${name} differs between import and require`);
    compared += 1;
  }
}
const esm = await import('nestjs-hotglue');
const cjs = require('nestjs-hotglue');
const { generateTestSigningKey } = require('nestjs-hotglue/testing');
const module = esm.HotglueModule.forRoot({
  envId: 'dev.identity.hotglue.xyz',
  signingKey: generateTestSigningKey().privateKeyBase64,
});
const context = await NestFactory.createApplicationContext(module, { logger: false });
const viaRequire = context.get(cjs.HotglueTokenService);
assert.equal(viaRequire, context.get(esm.HotglueTokenService));
const { token } = await viaRequire.createToken('acme');
assert.equal(
  (await context.get(esm.HotglueTokenService).verifyToken(token, { tenantId: 'acme' })).tenantId,
  'acme',
);
await context.close();
console.log(`identity: ${compared} exports identical; registered via import, injected via require`);
