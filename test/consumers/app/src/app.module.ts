import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { HotglueModule, hotglueConfig } from 'nestjs-hotglue';
import { HotglueMemoryThrottlerStorage } from 'nestjs-hotglue/throttler';
import { AuthGuard } from './auth.guard.js';
import { TokenController } from './token.controller.js';

@Module({
  imports: [
    ConfigModule.forRoot(),
    HotglueModule.forRootAsync({ ...hotglueConfig.asProvider(), isGlobal: true }),
    ThrottlerModule.forRoot({
      throttlers: [{ ttl: 60_000, limit: 3 }],
      storage: new HotglueMemoryThrottlerStorage(),
    }),
  ],
  controllers: [TokenController],
  providers: [AuthGuard],
})
export class AppModule {}
