import {
  AMOUNT_MAX_MINOR,
  BadRequestError,
  ConflictError,
  EdgeErrors,
  edgeRule,
  formatAmount,
  ValidationFailedError,
} from '@app/common';
import {
  AddressesExceededError,
  BasketChangedError,
  BasketLinesExceededError,
  InsufficientStockError,
  LineAttributesTooLargeError,
  LineQuantityMissingError,
  LineQuantityTooLargeError,
  PriceMissingError,
  ProductUnavailableError,
} from '@app/checkout';
import { EmailTakenError } from '@app/identity';
import {
  AccountNotFoundError,
  AmountExceedsOrderError,
  AmountOutOfRangeError,
  BalanceLimitError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  IdempotencyKeyInvalidError,
  InsufficientFundsError,
  LoyaltyMoneyDisabledError,
  OrderNotFoundError,
  OrderPaymentConflictError,
  PageOutOfRangeError,
} from '@app/ledger';
import {
  PhoneNotVerifiedError,
  PhoneTakenError,
  SmsCodeAttemptsExceededError,
  SmsCodeExpiredError,
  SmsCodeInvalidError,
  SmsDetailsMismatchError,
} from '@app/loyalty-card';

/*
 * How the storefront answers each domain error of the libs it calls. The ledger's errors reach it from the
 * checkout's store-credit payment, answered on the final page, which has no amount or account field: each is a
 * message of the page (non_field_errors in the checkout envelope), with the code a client can branch on.
 */
export const LEDGER_EDGE_RULES = [
  edgeRule(InsufficientFundsError, () => new BadRequestError('insufficient_funds', 'ledger.insufficient_funds')),
  edgeRule(LoyaltyMoneyDisabledError, () => new BadRequestError('loyalty_money_disabled', 'ledger.money_disabled')),
  edgeRule(
    OrderPaymentConflictError,
    () => new ConflictError('order_payment_conflict', 'ledger.order_payment_mismatch'),
  ),
  edgeRule(
    AmountExceedsOrderError,
    (e) =>
      new BadRequestError('amount_exceeds_order', 'ledger.amount_exceeds_order', {
        total: formatAmount(e.total_minor),
      }),
  ),
  edgeRule(OrderNotFoundError, () => new BadRequestError('order_not_found', 'ledger.order_not_found')),
  edgeRule(CurrencyMismatchError, () => new BadRequestError('currency_mismatch', 'ledger.currency_mismatch')),
  edgeRule(
    BalanceLimitError,
    (e) => new BadRequestError('balance_limit', 'ledger.balance_limit', { max: formatAmount(e.max_minor) }),
  ),
  edgeRule(
    AmountOutOfRangeError,
    () => new BadRequestError('amount_invalid', 'validation.amount_too_large', { max: formatAmount(AMOUNT_MAX_MINOR) }),
  ),
  edgeRule(AccountNotFoundError, () => new BadRequestError('loyalty_account_not_found', 'ledger.account_not_found')),
  edgeRule(IdempotencyConflictError, () => new ConflictError('idempotency_conflict', 'ledger.idempotency_conflict')),
  edgeRule(IdempotencyKeyInvalidError, (e) =>
    ValidationFailedError.forField('idempotency_key', 'validation.max_length', { max: e.max }),
  ),
  // The customer's store-credit history (`/account/loyalty/`).
  edgeRule(PageOutOfRangeError, (e) =>
    ValidationFailedError.forField(e.bound === 'size' ? 'page_size' : 'page', 'validation.max', { max: e.max }),
  ),
];

/** Registration (`/users/register/`): the body's e-mail. */
export const IDENTITY_EDGE_RULES = [
  edgeRule(EmailTakenError, () => ValidationFailedError.forField('email', 'validation.email_taken')),
];

/** The loyalty-card posts: the body's phone and SMS code; a code for other details is the whole form's. */
export const LOYALTY_CARD_EDGE_RULES = [
  edgeRule(PhoneTakenError, () => ValidationFailedError.forField('phone', 'loyalty_card.phone_taken')),
  edgeRule(
    PhoneNotVerifiedError,
    () =>
      new ValidationFailedError(
        { phone: [{ key: 'loyalty_card.phone_not_verified' }] },
        'phone_not_verified',
        'loyalty_card.phone_not_verified',
      ),
  ),
  edgeRule(SmsCodeExpiredError, () => ValidationFailedError.forField('code', 'loyalty_card.code_expired')),
  edgeRule(SmsDetailsMismatchError, () =>
    ValidationFailedError.forField('non_field_errors', 'loyalty_card.details_mismatch'),
  ),
  edgeRule(SmsCodeAttemptsExceededError, () =>
    ValidationFailedError.forField('code', 'loyalty_card.code_attempts_exceeded'),
  ),
  edgeRule(SmsCodeInvalidError, () => ValidationFailedError.forField('code', 'loyalty_card.code_invalid')),
];

/**
 * The basket (`/baskets/basket/`: its body's product, quantity and attributes), the addresses, the order history;
 * and the checkout pages, whose envelope shows the same answers as the page's `errors`.
 */
export const CHECKOUT_EDGE_RULES = [
  edgeRule(LineQuantityMissingError, () => ValidationFailedError.forField('quantity', 'validation.required')),
  edgeRule(LineQuantityTooLargeError, (e) =>
    ValidationFailedError.forField('quantity', 'checkout.quantity_too_large', { max: e.max }),
  ),
  edgeRule(LineAttributesTooLargeError, (e) =>
    ValidationFailedError.forField('attributes', 'validation.max_length', { max: e.max_bytes }),
  ),
  edgeRule(BasketLinesExceededError, (e) =>
    ValidationFailedError.forField('product', 'checkout.basket_lines_exceeded', { max: e.max }),
  ),
  edgeRule(
    InsufficientStockError,
    (e) =>
      new ValidationFailedError(
        { quantity: [{ key: 'checkout.insufficient_stock', args: { available: e.available } }] },
        'insufficient_stock',
      ),
  ),
  edgeRule(
    ProductUnavailableError,
    () => new ValidationFailedError({ product: [{ key: 'checkout.product_unavailable' }] }, 'product_unavailable'),
  ),
  edgeRule(
    PriceMissingError,
    (e) =>
      new ValidationFailedError(
        { product: [{ key: 'checkout.price_missing', args: { currency: e.currency.toUpperCase() } }] },
        'price_missing',
      ),
  ),
  edgeRule(BasketChangedError, () => new ConflictError('basket_changed', 'checkout.basket_changed')),
  edgeRule(AddressesExceededError, (e) =>
    ValidationFailedError.forField('non_field_errors', 'checkout.addresses_exceeded', { max: e.max }),
  ),
];

export const STOREFRONT_EDGE_ERRORS = new EdgeErrors([
  ...LEDGER_EDGE_RULES,
  ...IDENTITY_EDGE_RULES,
  ...LOYALTY_CARD_EDGE_RULES,
  ...CHECKOUT_EDGE_RULES,
]);
