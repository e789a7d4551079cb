import { DELIVERY_OPTIONS } from '../checkout-options';
import { formChoice } from '../form-fields';
import type { CheckoutPage } from '../page';

export const deliveryOptionPage: CheckoutPage = {
  name: 'DeliveryOptionSelectionPage',
  context: () => Promise.resolve({ delivery_options: DELIVERY_OPTIONS }),
  async submit(snapshot, form) {
    await snapshot.requireBasket();
    const pk = formChoice(form.delivery_option, 'delivery_option', DELIVERY_OPTIONS);
    await snapshot.save({ delivery_option: pk });
    return 'AddressSelectionPage';
  },
};
