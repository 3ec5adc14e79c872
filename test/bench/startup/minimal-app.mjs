// The smallest Nest app that answers HTTP, with (`--with-library`) or without HotglueModule.forRoot: the
// bench spawns it and times process start to the first 200 on GET /ping. Plain JavaScript (no decorators
// syntax) so nothing is compiled on the way. The signing key arrives in BENCH_SIGNING_KEY.
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const imports = [];
if (process.argv.includes('--with-library')) {
  const { HotglueModule } = await import('nestjs-hotglue');
  imports.push(
    HotglueModule.forRoot({ envId: 'dev.bench.hotglue.xyz', signingKey: process.env.BENCH_SIGNING_KEY }),
  );
}
class AppModule {}
Module({ imports })(AppModule);
const app = await NestFactory.create(AppModule, { logger: false });
app.getHttpAdapter().get('/ping', (_request, response) => response.status(200).send('ok'));
await app.listen(0, '127.0.0.1');
console.log(`listening on ${await app.getUrl()}`);
