import type { DynamicModule } from '@nestjs/common';
import { IdentityModule, UserDirectoryService } from '@app/identity';
import { LedgerModule } from '@app/ledger';
import { CheckoutModule } from './checkout.module';
import { OrderLedgerLookup } from './orders/order-ledger-lookup';

let wired: DynamicModule | undefined;

/**
 * The ledger as both apps run it: users from identity, orders from checkout. One module object for every importer
 * (the order placement module, the apps' ledger features), so an app holds one LedgerService.
 */
export function ledgerModuleForApps(): DynamicModule {
  return (wired ??= LedgerModule.forRoot({
    users: { useExisting: UserDirectoryService },
    orders: { useExisting: OrderLedgerLookup },
    imports: [IdentityModule, CheckoutModule],
  }));
}
