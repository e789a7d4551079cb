import { Module } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { IdentityModule } from '@app/identity';
import { CheckoutModule } from '../checkout.module';
import { PlaceOrder } from '../placement/place-order';
import { OrderPaymentModule } from '../placement/order-payment.module';
import { PlacedOrders } from '../placement/placed-orders';
import { CheckoutEnvelope } from './checkout-envelope';
import { CheckoutFlow } from './checkout-flow';
import { CheckoutSources } from './checkout-snapshot';
import { CompletionGate, completionGateOf } from './completion-gate';
import { AppSecretRepository } from '../repositories/app-secret.repository';
import { CheckoutPageRepository } from '../repositories/checkout-page.repository';
import { OrderTokens } from './order-token';

/**
 * The storefront's checkout pages (`/orders/checkout/`): the page flow, its reads, the final pages' placement, and
 * the thank-you page's signed order tokens.
 */
@Module({
  imports: [CheckoutModule, IdentityModule, OrderPaymentModule],
  providers: [
    CheckoutPageRepository,
    CheckoutSources,
    CheckoutEnvelope,
    CheckoutFlow,
    {
      // One gate per app: its pool is the app's own.
      provide: CompletionGate,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => completionGateOf(config.databasePoolSize),
    },
    PlaceOrder,
    PlacedOrders,
    AppSecretRepository,
    OrderTokens,
  ],
  exports: [CheckoutEnvelope, CheckoutFlow, PlacedOrders],
})
export class CheckoutPagesModule {}
