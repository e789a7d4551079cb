import type { CheckoutFormDto, CheckoutPageContextDto } from '../dtos/checkout.dto';
import type { CheckoutSnapshot } from './checkout-snapshot';

/** The pages a client may name in `?page=`. */
export const CHECKOUT_PAGES = [
  'DeliveryOptionSelectionPage',
  'AddressSelectionPage',
  'ShippingOptionSelectionPage',
  'PaymentOptionSelectionPage',
  'LoyaltyMoneyUsagePage',
  'LoyaltyPaymentSelectedPage',
  'LoyaltyMoneyPage',
  'BinNumberPage',
  'InstallmentSelectionPage',
  'CreditCardConfirmationPage',
] as const;
export type CheckoutPageName = (typeof CHECKOUT_PAGES)[number];
export type PageName = CheckoutPageName | 'EmptyPage' | 'ThankYouPage';

/** What a post answers: the page to show next (its context), or page contexts of its own. */
export type PageAnswer = CheckoutPageName | CheckoutPageContextDto[];

/**
 * One checkout page: what it shows and what a post of it does. Errors are thrown as PageError (or an AppError
 * under 500), which the envelope answers as HTTP 200 with `errors`.
 */
export interface CheckoutPage {
  readonly name: CheckoutPageName;
  /** Checked before the page is shown on its own (`GET ?page=`), not when a post names it next. */
  readonly guard?: (snapshot: CheckoutSnapshot) => Promise<void>;
  /** The page's `page_context` (none: `{}`). */
  readonly context?: (snapshot: CheckoutSnapshot) => Promise<Record<string, unknown>>;
  /** A post of the page (the final pages are placed by PlaceOrder instead). */
  readonly submit?: (snapshot: CheckoutSnapshot, form: CheckoutFormDto) => Promise<PageAnswer>;
}

export function pageContextOf(name: PageName, context: Record<string, unknown>): CheckoutPageContextDto[] {
  return [{ page_name: name, page_slug: name.toLowerCase(), page_context: context }];
}
