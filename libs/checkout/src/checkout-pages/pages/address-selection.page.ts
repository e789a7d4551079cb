import { type CheckoutSnapshot, inOrder } from '../checkout-snapshot';
import { formId } from '../form-fields';
import type { CheckoutPage } from '../page';
import { PageError } from '../page-error';

/**
 * An address of the customer that can be delivered to as it is; otherwise the field's error. A migrated address
 * whose places matched no geography row (or a place since deactivated) must be edited first.
 */
export async function checkoutAddress(snapshot: CheckoutSnapshot, value: unknown, field: string): Promise<number> {
  const pk = formId(value, field);
  const found = await snapshot.checkedAddress(pk);
  if (!found) throw PageError.field(field, 'validation.invalid');
  if (!found.complete) throw PageError.field(field, 'address.incomplete');
  return pk;
}

export const addressSelectionPage: CheckoutPage = {
  name: 'AddressSelectionPage',
  context: async (snapshot) => ({ addresses: await snapshot.addresses() }),
  async submit(snapshot, form) {
    await snapshot.requireBasket();
    snapshot.requireSteps('delivery_option');
    // Both read side by side; the shipping address's problem is the one answered when both have one.
    const [shipping, billing] = await inOrder([
      checkoutAddress(snapshot, form.shipping_address, 'shipping_address'),
      checkoutAddress(snapshot, form.billing_address, 'billing_address'),
    ] as const);
    await snapshot.save({ shipping_address: shipping, billing_address: billing });
    return 'ShippingOptionSelectionPage';
  },
};
