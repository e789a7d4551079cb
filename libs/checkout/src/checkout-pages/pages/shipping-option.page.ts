import { SHIPPING_OPTIONS } from '../checkout-options';
import { formChoice } from '../form-fields';
import type { CheckoutPage } from '../page';

export const shippingOptionPage: CheckoutPage = {
  name: 'ShippingOptionSelectionPage',
  context: () => Promise.resolve({ shipping_options: SHIPPING_OPTIONS }),
  async submit(snapshot, form) {
    await snapshot.requireBasket();
    snapshot.requireSteps('delivery_option', 'shipping_address');
    const pk = formChoice(form.shipping_option, 'shipping_option', SHIPPING_OPTIONS);
    await snapshot.save({ shipping_option: pk });
    return 'PaymentOptionSelectionPage';
  },
};
