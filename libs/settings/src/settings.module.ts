import { Module } from '@nestjs/common';
import { DynamicSettingRepository } from './repositories/dynamic-setting.repository';
import { DynamicSettingsService } from './services/dynamic-settings.service';

/**
 * A channel's dynamic settings (`LOYALTY_MONEY_ENABLED`, `VERIFY_SMS`, ...): one provider for the whole app, so
 * every lib reads and writes them through the same service. Needs DatabaseModule and CoreModule (Clock) in scope.
 */
@Module({
  providers: [DynamicSettingRepository, DynamicSettingsService],
  exports: [DynamicSettingsService],
})
export class SettingsModule {}
