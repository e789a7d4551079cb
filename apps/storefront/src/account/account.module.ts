import { Module } from '@nestjs/common';
import { ledgerModuleForApps } from '@app/checkout';
import { IdentityModule } from '@app/identity';
import { AccountLoyaltyApi } from './account-loyalty-api';
import { AccountLoyaltyController } from './account-loyalty.controller';

/** The signed-in customer's store credit (`/users/loyalty/...`): their balance and transfers, read from the ledger. */
@Module({
  imports: [IdentityModule, ledgerModuleForApps()],
  controllers: [AccountLoyaltyController],
  providers: [AccountLoyaltyApi],
})
export class AccountModule {}
