import { formatAmount } from '@app/common';
import { inOrder } from '../checkout-snapshot';
import { formAmount } from '../form-fields';
import { type CheckoutPage, pageContextOf } from '../page';
import { PageError } from '../page-error';
import { creditClearsCard } from '../payment-option-availability';

const FIELD = 'loyalty_amount_to_use';

export const loyaltyMoneyUsagePage: CheckoutPage = {
  name: 'LoyaltyMoneyUsagePage',
  async context(snapshot) {
    snapshot.requireUser();
    await snapshot.requireLoyaltyEnabled();
    return { balance: formatAmount(await snapshot.balance()) };
  },
  async submit(snapshot, form) {
    snapshot.requireUser();
    const [{ total }, enabled, balance] = await inOrder([
      snapshot.requireBasket(),
      snapshot.loyaltyEnabled(),
      snapshot.balance(),
    ] as const);
    snapshot.requireSteps('delivery_option', 'shipping_address', 'shipping_option');
    if (!enabled) throw PageError.nonField('checkout.loyalty_disabled');
    const amount = formAmount(form.loyalty_amount_to_use, FIELD);
    // One limit, one message: the smaller of the balance and the order total.
    const max = balance < total ? balance : total;
    if (amount > max) throw PageError.field(FIELD, 'checkout.loyalty_exceeds_balance', { max: formatAmount(max) });
    // Store credit covering the order leaves nothing for a card: a chosen card is cleared, the client picks again.
    const clearCard = creditClearsCard(snapshot.state, total, amount);
    await snapshot.save({
      loyalty_money: formatAmount(amount),
      ...(clearCard ? { payment_option: undefined, installment: undefined } : {}),
    });
    return pageContextOf('EmptyPage', {});
  },
};
