import { Module } from '@nestjs/common';
import { ledgerModuleForApps } from '@app/checkout';
import { SettingsModule } from '@app/settings';
import { IdentityModule } from '@app/identity';
import { DynamicSettingsController } from './dynamic-settings.controller';
import { LedgerAdminApi } from './ledger-admin-api';
import { LoyaltyAccountController } from './loyalty-account.controller';
import { LoyaltyTransactionController } from './loyalty-transaction.controller';

/** The back office's ledger: accounts, transactions and transfers, and the channel's dynamic settings. */
@Module({
  imports: [IdentityModule, ledgerModuleForApps(), SettingsModule],
  controllers: [LoyaltyAccountController, LoyaltyTransactionController, DynamicSettingsController],
  providers: [LedgerAdminApi],
})
export class LedgerAdminModule {}
