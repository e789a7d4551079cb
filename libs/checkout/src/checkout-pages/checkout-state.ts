import { type MinorUnits, parseAmount } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';

/** The session data key of the checkout's state. */
export const CHECKOUT_SESSION_KEY = 'checkout';

/** What the session remembers of the checkout. Amounts are decimal strings (JSON has no bigint). */
export interface CheckoutState {
  delivery_option?: number;
  shipping_address?: number;
  billing_address?: number;
  shipping_option?: number;
  payment_option?: number;
  loyalty_money?: string;
  /** The installment count chosen on InstallmentSelectionPage (1 until chosen). */
  installment?: number;
  /** Set once an order was placed: the last page then answers its thank-you page again. */
  completed_order?: string;
}

/** The checkout state of the request's session (`{}` before the first step). */
export function readCheckoutState(ctx: StorefrontRequestContext): CheckoutState {
  const value = ctx.session.get(CHECKOUT_SESSION_KEY);
  return value !== null && typeof value === 'object' ? value : {};
}

/** The store credit the customer chose to use, in minor units (0 when none or unreadable). */
export function chosenLoyalty(state: CheckoutState): MinorUnits {
  const chosen = parseAmount(state.loyalty_money ?? '0');
  return chosen.ok && chosen.minor > 0n ? chosen.minor : 0n;
}
