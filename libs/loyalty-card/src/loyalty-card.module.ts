import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import type { Cache } from 'cache-manager';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, Clock } from '@app/common';
import { IdentityModule } from '@app/identity';
import { DynamicSettingsService, SettingsModule } from '@app/settings';
import { LocalLoyaltyAccountEntity } from './entities/local-loyalty-account.entity';
import { LoyaltyCardEntity } from './entities/loyalty-card.entity';
import { SmsMessageEntity } from './entities/sms-message.entity';
import { SmsSendEntity } from './entities/sms-send.entity';
import { VerifiedPhoneEntity } from './entities/verified-phone.entity';
import { LoyaltyCardConfig } from './loyalty-card.config';
import { HttpLoyaltyProvider } from './provider/http-loyalty-provider';
import { LocalLoyaltyProvider } from './provider/local-loyalty-provider';
import { LOYALTY_PROVIDER, type LoyaltyProvider } from './provider/loyalty-provider';
import { LoyaltyCardAdminService } from './services/loyalty-card-admin.service';
import { LoyaltyCardEnrolmentService } from './services/loyalty-card-enrolment.service';
import { LoyaltyCardPointsService } from './services/loyalty-card-points.service';
import { LoyaltyCardProfileService } from './services/loyalty-card-profile.service';
import { LoyaltyCards, VERIFY_SMS_SETTING } from './services/loyalty-cards';
import { closePointsCacheStore, PointsCache, pointsCacheStore } from './services/points-cache';
import { SmsVerificationService } from './services/sms-verification.service';
import { LocalLoyaltyAccountRepository } from './repositories/local-loyalty-account.repository';
import { LoyaltyCardRepository } from './repositories/loyalty-card.repository';
import { SmsRepository } from './repositories/sms.repository';
import { VerifiedPhoneRepository } from './repositories/verified-phone.repository';
import { HttpSmsSender, OutboxSmsSender, SMS_SENDER, type SmsSender } from './sms/sms-sender';

const ENTITIES = [LoyaltyCardEntity, SmsSendEntity, SmsMessageEntity, LocalLoyaltyAccountEntity, VerifiedPhoneEntity];

@Module({
  imports: [
    TypeOrmModule.forFeature(ENTITIES),
    IdentityModule,
    SettingsModule,
    CacheModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ stores: [pointsCacheStore(config)] }),
    }),
  ],
  providers: [
    {
      provide: LoyaltyCardConfig,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LoyaltyCardConfig(config.env),
    },
    LocalLoyaltyProvider,
    OutboxSmsSender,
    {
      provide: LOYALTY_PROVIDER,
      inject: [LoyaltyCardConfig, Clock, LocalLoyaltyAccountRepository],
      useFactory: (
        config: LoyaltyCardConfig,
        clock: Clock,
        accounts: LocalLoyaltyAccountRepository,
      ): LoyaltyProvider =>
        config.http ? new HttpLoyaltyProvider(config.http, clock) : new LocalLoyaltyProvider(accounts),
    },
    {
      provide: SMS_SENDER,
      inject: [LoyaltyCardConfig, OutboxSmsSender],
      useFactory: (config: LoyaltyCardConfig, outbox: OutboxSmsSender): SmsSender =>
        config.sms.provider === 'http' && config.sms.url
          ? new HttpSmsSender({ url: config.sms.url, apiKey: config.sms.apiKey, timeoutMs: config.sms.timeoutMs })
          : outbox,
    },
    {
      provide: VERIFY_SMS_SETTING,
      inject: [DynamicSettingsService],
      useFactory: (settings: DynamicSettingsService) => ({
        verifySms: async (channelId: number) => (await settings.get(channelId)).VERIFY_SMS,
      }),
    },
    PointsCache,
    SmsVerificationService,
    VerifiedPhoneRepository,
    LoyaltyCardRepository,
    LocalLoyaltyAccountRepository,
    SmsRepository,
    LoyaltyCards,
    LoyaltyCardEnrolmentService,
    LoyaltyCardProfileService,
    LoyaltyCardPointsService,
    LoyaltyCardAdminService,
  ],
  exports: [
    LoyaltyCardEnrolmentService,
    LoyaltyCardProfileService,
    LoyaltyCardPointsService,
    LoyaltyCardAdminService,
    LoyaltyCardConfig,
    LOYALTY_PROVIDER,
  ],
})
export class LoyaltyCardModule implements OnModuleDestroy {
  constructor(@Inject(CACHE_MANAGER) private readonly cache: Cache) {}

  /** Closes the cache's Redis connection with the app, at once: a cache has nothing to flush. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.cache.stores.map((keyv) => closePointsCacheStore(keyv)));
  }
}
