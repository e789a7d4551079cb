import type { DynamicModule } from '@nestjs/common';
import { IdentityModule, UserDirectoryService } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { CheckoutModule } from './checkout.module';
import { OrderLedgerLookup } from './orders/order-ledger-lookup';

/** The ledger as both apps run it: users from identity, orders from checkout. */
export function ledgerModuleForApps(): DynamicModule {
  return LedgerModule.forRoot({
    users: { useExisting: UserDirectoryService },
    orders: { useExisting: OrderLedgerLookup },
    imports: [IdentityModule, CheckoutModule],
  });
}
