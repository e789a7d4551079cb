import { formatAmount, type MinorUnits } from '@app/common';
import type { CheckoutState } from './checkout-state';

/** The delivery and shipping options the checkout offers (one each today). */
export const DELIVERY_OPTIONS = [{ pk: 1, name: 'Delivery to address', delivery_option_type: 'customer' }];
export const SHIPPING_OPTIONS = [{ pk: 1, name: 'Standard shipping', shipping_amount: formatAmount(0n) }];
const SHIPPING_AMOUNTS: Readonly<Record<number, MinorUnits>> = { 1: 0n };

/** The chosen shipping option's price (nothing before one is chosen). */
export function shippingAmount(state: CheckoutState): MinorUnits {
  return state.shipping_option === undefined ? 0n : (SHIPPING_AMOUNTS[state.shipping_option] ?? 0n);
}
