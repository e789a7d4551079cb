import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule, CoreModule, type CoreOverrides } from '@app/common';
import { CheckoutModule, CheckoutPagesModule } from '@app/checkout';
import { DatabaseModule } from '@app/database';
import { GeographyModule } from '@app/geography';
import { IdentityStorefrontModule } from '@app/identity';
import { LoyaltyCardModule } from '@app/loyalty-card';
import { AddressController } from './checkout/address.controller';
import { GeographyController } from './geography/geography.controller';
import { BasketController } from './checkout/basket.controller';
import { CheckoutController } from './checkout/checkout.controller';
import { UserOrdersController } from './checkout/user-orders.controller';
import { AuthController } from './identity/auth.controller';
import { UserController } from './identity/user.controller';
import { LoyaltyCardController } from './loyalty-card/loyalty-card.controller';
import { AccountModule } from './account/account.module';
import { STOREFRONT_EDGE_ERRORS } from './edge-errors';

/** Tests pass a ManualClock and a stream to read the log lines from. */
export type AppOverrides = CoreOverrides;

@Module({})
export class StorefrontModule {
  static forRoot(config: AppConfig, overrides: AppOverrides = {}): DynamicModule {
    return {
      module: StorefrontModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        CoreModule.forApp('storefront', overrides, STOREFRONT_EDGE_ERRORS),
        IdentityStorefrontModule,
        LoyaltyCardModule,
        CheckoutModule,
        GeographyModule,
        CheckoutPagesModule,
        AccountModule,
      ],
      controllers: [
        AuthController,
        UserController,
        LoyaltyCardController,
        BasketController,
        GeographyController,
        AddressController,
        CheckoutController,
        UserOrdersController,
      ],
    };
  }
}
