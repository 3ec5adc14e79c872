/**
 * The sample's token endpoint, tenant guard and throttler guard on Fastify: the very specs of
 * `token-endpoint.e2e.spec.ts` (imported below, so they cannot drift apart), with the app built on
 * `@nestjs/platform-fastify`. Each spec file runs in its own process, so the variable stays here.
 */
process.env.SAMPLE_TEST_HTTP_ADAPTER = 'fastify';
await import('./token-endpoint.e2e.spec.js');
