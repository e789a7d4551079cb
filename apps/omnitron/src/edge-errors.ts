import {
  AMOUNT_MAX_MINOR,
  type PlainMessageKey,
  BadRequestError,
  ConflictError,
  EdgeErrors,
  edgeRule,
  formatAmount,
  NotFoundError,
  ValidationFailedError,
} from '@app/common';
import {
  AccountNotFoundError,
  AccountNumberTakenError,
  type AccountRole,
  AmountExceedsOrderError,
  AmountOutOfRangeError,
  BalanceLimitError,
  CurrencyMismatchError,
  CurrencyNotSoldError,
  CustomerAccountExistsError,
  IdempotencyConflictError,
  IdempotencyKeyInvalidError,
  InsufficientFundsError,
  InvoiceOfOtherUserError,
  type LedgerOperation,
  LoyaltyMoneyDisabledError,
  NegativeBalanceNotAllowedError,
  NotAnOrderPaymentError,
  OrderingInvalidError,
  OrderNotFoundError,
  OrderPaymentConflictError,
  OwnerEmailAmbiguousError,
  OwnerEmailMismatchError,
  OwnerEmailNotFoundError,
  OwnerNotFoundError,
  OwnerRequiredError,
  PageOutOfRangeError,
  PaymentNotFoundError,
  RefundCapExceededError,
  SameAccountError,
  SystemAccountFixedError,
  TransactionNotFoundError,
} from '@app/ledger';
import { type DynamicSettingKey, SettingUnknownError, SettingValueInvalidError } from '@app/settings';
import {
  PriceAmountInvalidError,
  PriceCurrencyNotSoldError,
  PriceCurrencyRepeatedError,
  PriceTooHighError,
  SkuTakenError,
} from '@app/checkout';
import { type ParentKind, ParentNotFoundError, ParentReadOnlyError, PlaceTakenError } from '@app/geography';

/*
 * How the back-office API answers each domain error of the libs: status, code, field and message. The fields are
 * the request fields of the operation the error came from (the ledger names accounts by role, not by field).
 */

/** The request field that names the account in each role, and the one that carries the amount, per operation. */
const FIELDS: Record<LedgerOperation, Record<AccountRole | 'amount', string>> = {
  transfer: { source: 'source_account', destination: 'destination_account', amount: 'amount' },
  // A refund names its destination by `invoice_number` (or not at all: the owner's account); its source is SALE.
  refund: { source: 'amount', destination: 'invoice_number', amount: 'amount' },
  cross_refund: { source: 'amount', destination: 'invoice_number', amount: 'amount' },
  // A balance change names its account in the path: a refusal about it is about the new balance.
  adjustment: { source: 'balance', destination: 'balance', amount: 'balance' },
  account_create: { source: 'balance', destination: 'balance', amount: 'balance' },
  order_payment: { source: 'amount', destination: 'amount', amount: 'amount' },
  order_earning: { source: 'amount', destination: 'amount', amount: 'amount' },
  account_read: { source: 'account', destination: 'account', amount: 'amount' },
};

const ACCOUNT_NOT_FOUND = () => new NotFoundError('loyalty_account_not_found', 'ledger.account_not_found');

export const LEDGER_EDGE_RULES = [
  edgeRule(AccountNotFoundError, (e) =>
    e.operation === 'account_read' || e.operation === 'adjustment'
      ? ACCOUNT_NOT_FOUND()
      : ValidationFailedError.forField(FIELDS[e.operation][e.role ?? 'source'], 'ledger.account_not_found'),
  ),
  edgeRule(SameAccountError, () => ValidationFailedError.forField('destination_account', 'ledger.same_account')),
  edgeRule(
    CurrencyMismatchError,
    (e) =>
      new ValidationFailedError(
        { [FIELDS[e.operation][e.role]]: [{ key: 'ledger.currency_mismatch' }] },
        'currency_mismatch',
        'ledger.currency_mismatch',
      ),
  ),
  edgeRule(
    InsufficientFundsError,
    (e) =>
      new ValidationFailedError(
        { [FIELDS[e.operation].amount]: [{ key: 'ledger.insufficient_funds' }] },
        'insufficient_funds',
        'ledger.insufficient_funds',
      ),
  ),
  edgeRule(BalanceLimitError, (e) =>
    ValidationFailedError.forField(FIELDS[e.operation].amount, 'ledger.balance_limit', {
      max: formatAmount(e.max_minor),
    }),
  ),
  edgeRule(AmountOutOfRangeError, (e) =>
    e.amount <= 0n
      ? ValidationFailedError.forField(FIELDS[e.operation].amount, 'validation.amount_not_positive')
      : ValidationFailedError.forField(FIELDS[e.operation].amount, 'validation.amount_too_large', {
          max: formatAmount(AMOUNT_MAX_MINOR),
        }),
  ),
  edgeRule(IdempotencyConflictError, () => new ConflictError('idempotency_conflict', 'ledger.idempotency_conflict')),
  edgeRule(IdempotencyKeyInvalidError, (e) =>
    ValidationFailedError.forField('idempotency_key', 'validation.max_length', { max: e.max }),
  ),
  edgeRule(
    OrderPaymentConflictError,
    () => new ConflictError('order_payment_conflict', 'ledger.order_payment_mismatch'),
  ),
  edgeRule(LoyaltyMoneyDisabledError, () => new BadRequestError('loyalty_money_disabled', 'ledger.money_disabled')),
  edgeRule(RefundCapExceededError, (e) => {
    const args = { available: formatAmount(e.available_minor) };
    return new ValidationFailedError(
      { amount: [{ key: 'ledger.refund_cap_exceeded', args }] },
      'refund_cap_exceeded',
      'ledger.refund_cap_exceeded',
      args,
    );
  }),
  edgeRule(AmountExceedsOrderError, (e) => {
    const args = { total: formatAmount(e.total_minor) };
    return new ValidationFailedError(
      { [FIELDS[e.operation].amount]: [{ key: 'ledger.amount_exceeds_order', args }] },
      'amount_exceeds_order',
      'ledger.amount_exceeds_order',
      args,
    );
  }),
  edgeRule(OrderNotFoundError, () => ValidationFailedError.forField('order_number', 'ledger.order_not_found')),
  edgeRule(PaymentNotFoundError, () =>
    ValidationFailedError.forField('transaction_uuid', 'ledger.transaction_not_found'),
  ),
  edgeRule(NotAnOrderPaymentError, () =>
    ValidationFailedError.forField('transaction_uuid', 'ledger.not_an_order_payment'),
  ),
  edgeRule(
    TransactionNotFoundError,
    () => new NotFoundError('loyalty_transaction_not_found', 'ledger.transaction_not_found'),
  ),
  edgeRule(InvoiceOfOtherUserError, () =>
    ValidationFailedError.forField('invoice_number', 'ledger.invoice_other_user'),
  ),
  edgeRule(NegativeBalanceNotAllowedError, (e) =>
    ValidationFailedError.forField(e.change, 'ledger.negative_balance_not_allowed'),
  ),
  edgeRule(CurrencyNotSoldError, (e) =>
    ValidationFailedError.forField('currency', 'ledger.currency_not_sold', { currency: e.currency }),
  ),
  edgeRule(AccountNumberTakenError, () => ValidationFailedError.forField('number', 'ledger.number_taken')),
  edgeRule(CustomerAccountExistsError, () => ValidationFailedError.forField('user', 'ledger.customer_account_exists')),
  edgeRule(SystemAccountFixedError, (e) => ValidationFailedError.forField(e.change, 'ledger.read_only')),
  edgeRule(OwnerNotFoundError, () => ValidationFailedError.forField('user', 'ledger.user_not_found')),
  edgeRule(OwnerEmailMismatchError, () => ValidationFailedError.forField('user_email', 'ledger.user_email_mismatch')),
  edgeRule(OwnerEmailNotFoundError, () => ValidationFailedError.forField('user_email', 'ledger.user_email_not_found')),
  edgeRule(OwnerEmailAmbiguousError, () => ValidationFailedError.forField('user_email', 'ledger.user_email_ambiguous')),
  edgeRule(OwnerRequiredError, () => ValidationFailedError.forField('user', 'validation.required')),
  edgeRule(PageOutOfRangeError, (e) =>
    ValidationFailedError.forField(e.bound === 'size' ? 'page_size' : 'page', 'validation.max', { max: e.max }),
  ),
  edgeRule(OrderingInvalidError, (e) =>
    ValidationFailedError.forField('ordering', 'ledger.ordering_invalid', { values: e.allowed.join(', ') }),
  ),
];

/** What a setting's value must be, as the field error says it. */
const SETTING_VALUE_MESSAGES: Record<DynamicSettingKey, PlainMessageKey> = {
  LOYALTY_MONEY_ENABLED: 'validation.not_boolean',
  VERIFY_SMS: 'validation.not_boolean',
  LOYALTY_EARNING_RATE: 'validation.percent',
};

/** A dynamic settings change: the body's field is the setting's key. */
export const SETTINGS_EDGE_RULES = [
  edgeRule(SettingUnknownError, (e) => ValidationFailedError.forField(e.key, 'ledger.setting_unknown')),
  edgeRule(SettingValueInvalidError, (e) => ValidationFailedError.forField(e.key, SETTING_VALUE_MESSAGES[e.key])),
];

/** The catalogue (`/products/`): a price's problem is the `prices` field's, whichever price it is. */
export const CHECKOUT_EDGE_RULES = [
  edgeRule(PriceCurrencyNotSoldError, (e) =>
    ValidationFailedError.forField('prices', 'checkout.currency_not_sold', { currency: e.currency }),
  ),
  edgeRule(PriceCurrencyRepeatedError, () => ValidationFailedError.forField('prices', 'checkout.currency_repeated')),
  edgeRule(PriceAmountInvalidError, () => ValidationFailedError.forField('prices', 'validation.amount_invalid')),
  edgeRule(PriceTooHighError, (e) =>
    ValidationFailedError.forField('prices', 'validation.amount_too_large', { max: formatAmount(e.max_minor) }),
  ),
  edgeRule(SkuTakenError, () => ValidationFailedError.forField('sku', 'checkout.sku_taken')),
  // The orders of a channel (`/orders/{pk}/`): the path's order.
];

/** The body field that names a place's parent, per kind of parent. */
const PARENT_FIELDS: Record<ParentKind, string> = { country: 'country', city: 'city', township: 'township' };

/** The geography's back office: the body's parent, code or name. */
export const GEOGRAPHY_EDGE_RULES = [
  edgeRule(ParentReadOnlyError, (e) =>
    ValidationFailedError.forField(PARENT_FIELDS[e.parent], 'geography.parent_read_only'),
  ),
  edgeRule(ParentNotFoundError, (e) =>
    ValidationFailedError.forField(PARENT_FIELDS[e.parent], 'geography.choice_invalid'),
  ),
  edgeRule(PlaceTakenError, (e) =>
    e.property === 'code'
      ? ValidationFailedError.forField('code', 'geography.code_taken')
      : ValidationFailedError.forField('name', 'geography.name_taken'),
  ),
];

export const OMNITRON_EDGE_ERRORS = new EdgeErrors([
  ...LEDGER_EDGE_RULES,
  ...SETTINGS_EDGE_RULES,
  ...CHECKOUT_EDGE_RULES,
  ...GEOGRAPHY_EDGE_RULES,
]);
