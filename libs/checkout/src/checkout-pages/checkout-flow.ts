import { Injectable } from '@nestjs/common';
import type { CheckoutFormDto, CheckoutPageContextDto } from '../dtos/checkout.dto';
import { PlaceOrder } from '../placement/place-order';
import type { CheckoutSnapshot } from './checkout-snapshot';
import { CompletionGate } from './completion-gate';
import { CHECKOUT_PAGES, type CheckoutPage, type CheckoutPageName, pageContextOf } from './page';
import { PageError } from './page-error';
import { addressSelectionPage } from './pages/address-selection.page';
import { binNumberPage, creditCardConfirmationPage, installmentSelectionPage } from './pages/card-pages';
import { deliveryOptionPage } from './pages/delivery-option.page';
import { loyaltyMoneyUsagePage } from './pages/loyalty-money-usage.page';
import { paymentOptionPage } from './pages/payment-option.page';
import { shippingOptionPage } from './pages/shipping-option.page';

/** The final pages: a post places the order (by store credit alone, or by card for what it leaves). */
const FINAL_PAGES: Readonly<Partial<Record<CheckoutPageName, { byCard: boolean }>>> = {
  LoyaltyPaymentSelectedPage: { byCard: false },
  LoyaltyMoneyPage: { byCard: false },
  CreditCardConfirmationPage: { byCard: true },
};

const PAGES: Readonly<Record<CheckoutPageName, CheckoutPage>> = {
  DeliveryOptionSelectionPage: deliveryOptionPage,
  AddressSelectionPage: addressSelectionPage,
  ShippingOptionSelectionPage: shippingOptionPage,
  PaymentOptionSelectionPage: paymentOptionPage,
  LoyaltyMoneyUsagePage: loyaltyMoneyUsagePage,
  LoyaltyPaymentSelectedPage: { name: 'LoyaltyPaymentSelectedPage' },
  LoyaltyMoneyPage: { name: 'LoyaltyMoneyPage' },
  BinNumberPage: binNumberPage,
  InstallmentSelectionPage: installmentSelectionPage,
  CreditCardConfirmationPage: creditCardConfirmationPage,
};

/**
 * The checkout pages (`/orders/checkout/?page=...`) of a signed-in customer, state kept in the session: which
 * page a request names, and what showing or posting it does. Each page is its own file under `pages/`; the final
 * pages place the order (PlaceOrder).
 */
@Injectable()
export class CheckoutFlow {
  constructor(
    private readonly gate: CompletionGate,
    private readonly orders: PlaceOrder,
  ) {}

  async show(snapshot: CheckoutSnapshot, page: unknown): Promise<CheckoutPageContextDto[]> {
    const name = pageName(page);
    snapshot.prefetch();
    if (name === undefined) return this.contextOf(snapshot, nextPage(snapshot));
    await PAGES[name].guard?.(snapshot);
    return this.contextOf(snapshot, name);
  }

  async submit(snapshot: CheckoutSnapshot, page: unknown, form: CheckoutFormDto): Promise<CheckoutPageContextDto[]> {
    const name = pageName(page) ?? 'DeliveryOptionSelectionPage';
    const final = FINAL_PAGES[name];
    if (final) return this.gate.run(() => this.orders.complete(snapshot, form, final.byCard));
    snapshot.requireUser();
    snapshot.prefetch();
    const answer = await PAGES[name].submit!(snapshot, form);
    return typeof answer === 'string' ? this.contextOf(snapshot, answer) : answer;
  }

  private async contextOf(snapshot: CheckoutSnapshot, name: CheckoutPageName): Promise<CheckoutPageContextDto[]> {
    return pageContextOf(name, (await PAGES[name].context?.(snapshot)) ?? {});
  }
}

function pageName(page: unknown): CheckoutPageName | undefined {
  if (page === undefined || page === '') return undefined;
  const found = CHECKOUT_PAGES.find((name) => name === page);
  if (!found) throw PageError.nonField('checkout.unknown_page');
  return found;
}

/** Without a page: the first step still missing. */
function nextPage(snapshot: CheckoutSnapshot): CheckoutPageName {
  const { state } = snapshot;
  if (state.delivery_option === undefined) return 'DeliveryOptionSelectionPage';
  if (state.shipping_address === undefined) return 'AddressSelectionPage';
  if (state.shipping_option === undefined) return 'ShippingOptionSelectionPage';
  return 'PaymentOptionSelectionPage';
}
