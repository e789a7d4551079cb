import {
  AccountNotFoundError,
  AccountNumberTakenError,
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
} from './errors';

const KEYED = [IdempotencyKeyInvalidError, IdempotencyConflictError] as const;

/**
 * The errors each ledger operation can raise (besides LedgerInvariantError, a bug, and a database failure), as
 * docs/ledger.md lists them. An app's edge table must answer every error of the operations it calls: the edge tests
 * check it against this list.
 */
export const LEDGER_OPERATION_ERRORS = {
  /** LedgerService.transfer / transferOnly. */
  transfer: [
    AmountOutOfRangeError,
    SameAccountError,
    AccountNotFoundError,
    CurrencyMismatchError,
    InsufficientFundsError,
    BalanceLimitError,
    ...KEYED,
  ],
  /** LedgerService.refund. */
  refund: [
    AmountOutOfRangeError,
    PaymentNotFoundError,
    NotAnOrderPaymentError,
    InvoiceOfOtherUserError,
    AccountNotFoundError,
    CurrencyMismatchError,
    RefundCapExceededError,
    BalanceLimitError,
    ...KEYED,
  ],
  /** LedgerService.crossRefund. */
  crossRefund: [
    AmountOutOfRangeError,
    OrderNotFoundError,
    InvoiceOfOtherUserError,
    AccountNotFoundError,
    CurrencyMismatchError,
    RefundCapExceededError,
    BalanceLimitError,
    ...KEYED,
  ],
  /** LedgerService.payOrder. */
  payOrder: [
    AmountOutOfRangeError,
    OrderNotFoundError,
    AmountExceedsOrderError,
    OrderPaymentConflictError,
    LoyaltyMoneyDisabledError,
    InsufficientFundsError,
    CurrencyMismatchError,
    ...KEYED,
  ],
  /** LedgerService.creditOrderEarning. */
  creditOrderEarning: [
    AmountOutOfRangeError,
    OrderNotFoundError,
    AmountExceedsOrderError,
    InvoiceOfOtherUserError,
    BalanceLimitError,
    InsufficientFundsError,
  ],
  /** LoyaltyAccountService.create. */
  createAccount: [
    CurrencyNotSoldError,
    AccountNumberTakenError,
    BalanceLimitError,
    NegativeBalanceNotAllowedError,
    OwnerNotFoundError,
    OwnerEmailMismatchError,
    OwnerRequiredError,
    OwnerEmailNotFoundError,
    OwnerEmailAmbiguousError,
    CustomerAccountExistsError,
    InsufficientFundsError,
    ...KEYED,
  ],
  /** LoyaltyAccountService.update (a balance change is an adjustment with BANK). */
  updateAccount: [
    AccountNotFoundError,
    SystemAccountFixedError,
    NegativeBalanceNotAllowedError,
    BalanceLimitError,
    ...KEYED,
  ],
  /** LoyaltyAccountService.get / assertExists. */
  getAccount: [AccountNotFoundError],
  /** LoyaltyAccountService.list. */
  listAccounts: [PageOutOfRangeError, OrderingInvalidError],
  /** LedgerQueryService.listTransfers / listTransactions / customerTransfers (the storefront history). */
  listTransfers: [PageOutOfRangeError],
  /** LedgerQueryService.getTransaction. */
  getTransaction: [TransactionNotFoundError],
} as const;

export type LedgerOperationName = keyof typeof LEDGER_OPERATION_ERRORS;
