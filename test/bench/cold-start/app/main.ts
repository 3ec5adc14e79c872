// The CLI 11 scaffold's src/main.ts, listening on a free port and printing its URL so the bench knows where
// to send the first request.
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(process.env.PORT ?? 0, '127.0.0.1');
  console.log(`listening on ${await app.getUrl()}`);
}
bootstrap();
