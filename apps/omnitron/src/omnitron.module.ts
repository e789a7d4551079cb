import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, CoreModule, type CoreOverrides } from '@app/common';
import {
  CheckoutModule,
  ledgerModuleForApps,
  OrderAdminService,
  OrderPlacement,
  OrderRecoveryWorker,
} from '@app/checkout';
import { DatabaseModule } from '@app/database';
import { GeographyModule } from '@app/geography';
import { IdentityOmnitronModule } from '@app/identity';
import { LoyaltyCardModule } from '@app/loyalty-card';
import { StaffAuthController } from './identity/staff-auth.controller';
import { OrdersController } from './checkout/orders.controller';
import {
  GeographyCitiesController,
  GeographyCountriesController,
  GeographyDistrictsController,
  GeographyTownshipsController,
} from './geography/geography.controller';
import { ProductsController } from './checkout/products.controller';
import { UsersController } from './identity/users.controller';
import { LoyaltyCardAdminController } from './loyalty-card/loyalty-card-admin.controller';
import { DynamicSettingsController } from './ledger/dynamic-settings.controller';
import { LoyaltyAccountController } from './ledger/loyalty-account.controller';
import { LoyaltyTransactionController } from './ledger/loyalty-transaction.controller';
import { LedgerAdminApi } from './ledger/ledger-admin-api';
import { OMNITRON_EDGE_ERRORS } from './edge-errors';

/** Tests pass a ManualClock and a stream to read the log lines from. */
export type AppOverrides = CoreOverrides;

@Module({})
export class OmnitronModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: OmnitronModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CoreModule.forApp('omnitron', overrides, OMNITRON_EDGE_ERRORS),
        IdentityOmnitronModule,
        LoyaltyCardModule,
        CheckoutModule,
        GeographyModule,
        ledgerModuleForApps(),
      ],
      controllers: [
        StaffAuthController,
        UsersController,
        LoyaltyCardAdminController,
        LoyaltyAccountController,
        LoyaltyTransactionController,
        DynamicSettingsController,
        ProductsController,
        OrdersController,
        GeographyCountriesController,
        GeographyCitiesController,
        GeographyTownshipsController,
        GeographyDistrictsController,
      ],
      // The order detail and placement use the ledger, which itself imports the checkout lib. Both apps run the
      // order recovery worker (one leader at a time does the work).
      providers: [OrderAdminService, OrderPlacement, OrderRecoveryWorker, LedgerAdminApi],
    };
  }
}
