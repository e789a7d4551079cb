import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, Clock, RedisConnection } from '@app/common';
import { Counters } from '@app/database';
import { ChannelEntity } from './entities/channel.entity';
import { SessionEntity } from './entities/session.entity';
import { StaffTokenEntity } from './entities/staff-token.entity';
import { StaffUserEntity } from './entities/staff-user.entity';
import { UserEntity } from './entities/user.entity';
import { StaffAuthGuard } from './guards/staff-auth.guard';
import { StorefrontContextGuard } from './guards/storefront-context.guard';
import { ChannelRepository } from './repositories/channel.repository';
import { StaffRepository } from './repositories/staff.repository';
import { UserRepository } from './repositories/user.repository';
import { ChannelService } from './services/channel.service';
import { PasswordHasher } from './services/password-hasher';
import { StaffService } from './services/staff.service';
import { UserService } from './services/user.service';
import { UserDirectoryService } from './services/user-directory.service';
import { PostgresSessionStore } from './repositories/session.repository';
import { RedisSessionStore, SessionStore } from './session/session-store';
import { LoginHooks } from './session/login-hooks';
import { SessionService } from './session/session.service';
import { AuthThrottlerGuard, authThrottlerOptions } from './throttling/auth-throttler.guard';
import { FailureLimits } from './throttling/failure-limits';
import { SignedInFailureLimit } from './throttling/signed-in-failure-limit.interceptor';

const throttler = ThrottlerModule.forRootAsync({
  inject: [AppConfig, Counters, Clock],
  useFactory: authThrottlerOptions,
});

/** Channels, users, sessions and staff: the services every app and the CLI use. */
@Module({
  imports: [TypeOrmModule.forFeature([ChannelEntity, UserEntity, SessionEntity, StaffUserEntity, StaffTokenEntity])],
  providers: [
    PasswordHasher,
    ChannelService,
    ChannelRepository,
    UserRepository,
    StaffRepository,
    UserService,
    StaffService,
    SessionService,
    LoginHooks,
    UserDirectoryService,
    FailureLimits,
    PostgresSessionStore,
    {
      // Redis when REDIS_URL is set (sessions shared by every instance), PostgreSQL otherwise.
      provide: SessionStore,
      inject: [RedisConnection, PostgresSessionStore, Clock],
      useFactory: (redis: RedisConnection, postgres: PostgresSessionStore, clock: Clock): SessionStore =>
        redis.client ? new RedisSessionStore(redis, clock) : postgres,
    },
  ],
  exports: [
    PasswordHasher,
    ChannelService,
    UserService,
    StaffService,
    SessionService,
    LoginHooks,
    SessionStore,
    UserDirectoryService,
    FailureLimits,
  ],
})
export class IdentityModule {}

/**
 * The storefront's identity: every request gets its channel, session, user, currency and language, and
 * state-changing requests pass the CSRF check (a global guard). Import once, in the storefront's root module.
 */
@Module({
  imports: [IdentityModule, throttler],
  providers: [{ provide: APP_GUARD, useClass: StorefrontContextGuard }, AuthThrottlerGuard, SignedInFailureLimit],
  exports: [IdentityModule, AuthThrottlerGuard, SignedInFailureLimit],
})
export class IdentityStorefrontModule {}

/** The back-office's identity: staff tokens and the channel check (`@StaffEndpoint()`, `@StaffChannel()`). */
@Module({
  imports: [IdentityModule, throttler],
  providers: [StaffAuthGuard, AuthThrottlerGuard],
  exports: [IdentityModule, StaffAuthGuard, AuthThrottlerGuard],
})
export class IdentityOmnitronModule {}
