import type { MinorUnits } from '@app/common';
import type { CheckoutState } from './checkout-state';
import { PageError } from './page-error';
import { CREDIT_CARD, LOYALTY_MONEY, PAYMENT_OPTIONS, type PaymentOption } from './payment-options';

/*
 * Where checkout decides how an order may be paid. Store credit that covers the whole order leaves nothing for a
 * card: the card option is not offered, a card chosen before is no choice any more (the client picks again), and
 * the card pages refuse. Lowering the store-credit amount brings the card back.
 */

/** Store credit pays the whole of a non-empty order. */
export function creditCovers(total: MinorUnits, loyalty: MinorUnits): boolean {
  return total > 0n && loyalty >= total;
}

/** The options PaymentOptionSelectionPage offers. */
export function paymentOptionsOnOffer(
  loyaltyEnabled: boolean,
  total: MinorUnits,
  loyalty: MinorUnits,
): readonly PaymentOption[] {
  if (!loyaltyEnabled) return [CREDIT_CARD];
  return creditCovers(total, loyalty) ? [LOYALTY_MONEY] : PAYMENT_OPTIONS;
}

/** The payment option in force: a card chosen before store credit came to cover the order is none. */
export function paymentOptionInForce(
  state: CheckoutState,
  total: MinorUnits,
  loyalty: MinorUnits,
): PaymentOption | null {
  if (creditClearsCard(state, total, loyalty)) return null;
  return PAYMENT_OPTIONS.find((o) => o.pk === state.payment_option) ?? null;
}

/** A chosen card that this much store credit leaves nothing to pay for (LoyaltyMoneyUsagePage then clears it). */
export function creditClearsCard(state: CheckoutState, total: MinorUnits, loyalty: MinorUnits): boolean {
  return state.payment_option === CREDIT_CARD.pk && creditCovers(total, loyalty);
}

/** The card pages need the card option chosen and something left unpaid after store credit. */
export function requireCardPayable(state: CheckoutState, total: MinorUnits, loyalty: MinorUnits): void {
  const covered = total - loyalty <= 0n;
  // A card cleared because store credit came to cover the order: the reason is the cover, not a missing choice.
  const cleared = covered && state.payment_option === undefined;
  if (state.payment_option !== CREDIT_CARD.pk && !cleared) throw PageError.nonField('checkout.card_option_required');
  if (covered) throw PageError.nonField('checkout.card_not_needed');
}
