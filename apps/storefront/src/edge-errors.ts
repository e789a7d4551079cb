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

export const STOREFRONT_EDGE_ERRORS = new EdgeErrors(LEDGER_EDGE_RULES);
