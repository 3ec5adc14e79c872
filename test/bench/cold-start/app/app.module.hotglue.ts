// The scaffold's AppModule with the README's wiring: ConfigModule, HotglueModule read by hotglueConfig,
// ThrottlerModule, and the token endpoint behind the stand-in auth, the per-user throttler and the tenant
// guard.
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import { HotglueModule, hotglueConfig } from 'nestjs-hotglue';
import { AppController } from './app.controller';
import { AppService } from './app.service';
import { AuthGuard } from './auth.guard';
import { TokenController } from './token.controller';

@Module({
  imports: [
    ConfigModule.forRoot(),
    HotglueModule.forRootAsync({ ...hotglueConfig.asProvider(), isGlobal: true }),
    ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 3 }] }),
  ],
  controllers: [AppController, TokenController],
  providers: [AppService, AuthGuard],
})
export class AppModule {}
