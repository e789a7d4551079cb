import type { CheckoutSnapshot } from '../checkout-snapshot';
import { formChoice } from '../form-fields';
import type { CheckoutPage } from '../page';
import { creditCovers, paymentOptionsOnOffer } from '../payment-option-availability';
import { CREDIT_CARD, type PaymentOption } from '../payment-options';

async function onOffer(snapshot: CheckoutSnapshot): Promise<readonly PaymentOption[]> {
  const [enabled, { total, loyalty }] = await Promise.all([snapshot.loyaltyEnabled(), snapshot.amounts()]);
  return paymentOptionsOnOffer(enabled, total, loyalty);
}

export const paymentOptionPage: CheckoutPage = {
  name: 'PaymentOptionSelectionPage',
  context: async (snapshot) => ({ payment_options: await onOffer(snapshot) }),
  async submit(snapshot, form) {
    const { total, loyalty } = await snapshot.requireBasket();
    snapshot.requireSteps('delivery_option', 'shipping_address', 'shipping_option');
    const pk = formChoice(form.payment_option, 'payment_option', await onOffer(snapshot));
    await snapshot.save({ payment_option: pk });
    if (pk === CREDIT_CARD.pk) return 'BinNumberPage';
    // The final page works only once store credit covers the order: until then, the page that sets its amount.
    return creditCovers(total, loyalty) ? 'LoyaltyPaymentSelectedPage' : 'LoyaltyMoneyUsagePage';
  },
};
