import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, CoreModule, type CoreOverrides } from '@app/common';
import { CheckoutModule, OrderPaymentModule } from '@app/checkout';
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
import { LedgerAdminModule } from './ledger/ledger-admin.module';
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
        OrderPaymentModule,
        LedgerAdminModule,
      ],
      controllers: [
        StaffAuthController,
        UsersController,
        LoyaltyCardAdminController,
        ProductsController,
        OrdersController,
        GeographyCountriesController,
        GeographyCitiesController,
        GeographyTownshipsController,
        GeographyDistrictsController,
      ],
    };
  }
}
