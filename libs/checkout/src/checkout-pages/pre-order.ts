import { formatAmount } from '@app/common';
import { DELIVERY_OPTIONS, SHIPPING_OPTIONS, shippingAmount } from './checkout-options';
import type { CheckoutSnapshot } from './checkout-snapshot';
import { chosenInstallment, installmentOption } from './installments';
import { toBasketEnvelope } from '../checkout.mapper';
import { paymentOptionInForce } from './payment-option-availability';
import { CREDIT_CARD } from './payment-options';

/** The `pre_order` every checkout answer carries: the basket and the choices so far, priced. */
export async function renderPreOrder(snapshot: CheckoutSnapshot): Promise<Record<string, unknown>> {
  const { ctx, state } = snapshot;
  const [{ basket, total, loyalty, unpaid }, shipping, billing] = await Promise.all([
    snapshot.amounts(),
    // An address deleted since it was chosen is null.
    snapshot.address(state.shipping_address),
    snapshot.address(state.billing_address),
  ]);
  const payments = snapshot.sources.payments;
  // Null until InstallmentSelectionPage is posted, as the client expects (it auto-posts the step while null).
  const paysByCard = state.payment_option === CREDIT_CARD.pk && unpaid > 0n && state.installment !== undefined;
  const installment = paysByCard ? payments.price(unpaid, chosenInstallment(payments, state)) : null;
  const { basket: basketBody } = toBasketEnvelope(basket);
  return {
    basket: basketBody,
    delivery_option: DELIVERY_OPTIONS.find((o) => o.pk === state.delivery_option) ?? null,
    shipping_address: shipping,
    billing_address: billing,
    shipping_option: SHIPPING_OPTIONS.find((o) => o.pk === state.shipping_option) ?? null,
    shipping_amount: formatAmount(shippingAmount(state)),
    payment_option: paymentOptionInForce(state, total, loyalty),
    installment: installment ? installmentOption(installment) : null,
    total_amount: formatAmount(total),
    total_amount_with_interest: formatAmount(total + (installment?.interest ?? 0n)),
    unpaid_amount: formatAmount(unpaid),
    loyalty_money: formatAmount(loyalty),
    currency_type_label: ctx.currency.toUpperCase(),
    is_guest: !ctx.user,
    is_redirected: false,
  };
}
