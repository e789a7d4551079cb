import { CARD_TYPE_NAMES, cardTypeOf, normaliseCardNumber } from '../../payments/card-rules';
import type { CheckoutSnapshot } from '../checkout-snapshot';
import { formChoice, formText } from '../form-fields';
import { installmentOptions } from '../installments';
import { type CheckoutPage, pageContextOf } from '../page';
import { PageError } from '../page-error';
import { requireCardPayable } from '../payment-option-availability';

/** The card pages work only with the card chosen and something left for it to pay; a post also needs the steps. */
async function cardPayable(snapshot: CheckoutSnapshot, posted: boolean): Promise<bigint> {
  const { total, loyalty, unpaid } = await snapshot.requireBasket();
  if (posted) snapshot.requireSteps('delivery_option', 'shipping_address', 'shipping_option');
  requireCardPayable(snapshot.state, total, loyalty);
  return unpaid;
}

const guard = async (snapshot: CheckoutSnapshot): Promise<void> => {
  await cardPayable(snapshot, false);
};

export const binNumberPage: CheckoutPage = {
  name: 'BinNumberPage',
  guard,
  async submit(snapshot, form) {
    const unpaid = await cardPayable(snapshot, true);
    const bin = normaliseCardNumber(formText(form.bin_number) ?? '');
    const type = /^[0-9]{6,8}$/.test(bin) ? cardTypeOf(bin) : undefined;
    if (!type) throw PageError.field('bin_number', 'checkout.bin_invalid');
    return pageContextOf('InstallmentSelectionPage', {
      card_type: { slug: type, name: CARD_TYPE_NAMES[type], logo: null },
      installments: installmentOptions(snapshot.sources.payments, unpaid),
    });
  },
};

export const installmentSelectionPage: CheckoutPage = {
  name: 'InstallmentSelectionPage',
  guard,
  async context(snapshot) {
    const { unpaid } = await snapshot.amounts();
    return { installments: installmentOptions(snapshot.sources.payments, unpaid) };
  },
  async submit(snapshot, form) {
    const unpaid = await cardPayable(snapshot, true);
    const pk = formChoice(form.installment, 'installment', installmentOptions(snapshot.sources.payments, unpaid));
    await snapshot.save({ installment: pk });
    return 'CreditCardConfirmationPage';
  },
};

/** Posted, it is placed by PlaceOrder; shown, it needs the card payable. */
export const creditCardConfirmationPage: CheckoutPage = { name: 'CreditCardConfirmationPage', guard };
