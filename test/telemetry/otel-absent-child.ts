/**
 * Run by otel-absent.spec.ts in a child process. `import-only`: imports the library's barrel and exits.
 * `app`: boots HotglueModule, signs and verifies a token, and prints what telemetry the module chose.
 */
import 'reflect-metadata';

const mode = process.argv[2];
const library = await import('../../src/hotglue/index.js');
if (mode === 'app') {
  const { NestFactory, ModuleRef } = await import('@nestjs/core');
  const { generateTestSigningKey } = await import('../../src/hotglue-testing/signing-keys.js');
  const key = generateTestSigningKey('absent');
  const app = await NestFactory.createApplicationContext(
    library.HotglueModule.forRoot({ envId: 'dev.example.hotglue.xyz', signingKey: key.privateKeyBase64 }),
    { logger: false },
  );
  const tokens = app.get(library.HotglueTokenService);
  const token = await tokens.getToken('acme');
  const verified = await tokens.verifyToken(token.token, { tenantId: 'acme' });
  const environment = library.getHotglueEnvironment(app.get(ModuleRef));
  await app.close();
  console.log(JSON.stringify({ telemetry: environment.telemetry.enabled, verified: verified.tenantId }));
} else {
  console.log(JSON.stringify({ imported: typeof library.HotglueModule }));
}
