import type { Provider } from '@nestjs/common';
import { OrderPlacement } from '../placement/order-placement.service';
import { OrderRecoveryWorker } from '../placement/order-recovery.worker';
import { OrderCheckout } from '../placement/order-checkout';
import { PlacedOrders } from '../placement/placed-orders';
import { CheckoutEnvelope } from './checkout-envelope';
import { CheckoutFlow } from './checkout-flow';
import { CheckoutSources } from './checkout-snapshot';
import { OrderTokens } from './order-token';

/**
 * The checkout pages and order placement, provided by the storefront app's module: they need both the checkout
 * lib and the ledger (which itself imports the checkout lib).
 */
export const CHECKOUT_PAGE_PROVIDERS: Provider[] = [
  CheckoutSources,
  CheckoutEnvelope,
  CheckoutFlow,
  OrderCheckout,
  PlacedOrders,
  OrderTokens,
  OrderPlacement,
  OrderRecoveryWorker,
];
