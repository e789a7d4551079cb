import { DomainError, type MinorUnits } from '@app/common';

/*
 * The ledger's typed errors: what went wrong, about which account and in which role, in the ledger's terms. None
 * carries an HTTP status or a request field name: each app's edge table (`apps/<app>/src/edge-errors.ts`) says how
 * it answers each one, and docs/ledger.md lists, per operation, the errors it can raise.
 */

/** The operations whose refusals name an account by its role in them. */
export type LedgerOperation =
  | 'transfer'
  | 'refund'
  | 'cross_refund'
  | 'order_payment'
  | 'order_earning'
  | 'adjustment'
  | 'account_create'
  | 'account_read';

/** The part an account plays in a money operation: the one money leaves, or the one it goes to. */
export type AccountRole = 'source' | 'destination';

export abstract class LedgerError extends DomainError {
  static readonly abstractBase = true;
}

/** An account the operation names (or finds, such as an invoice account or a system account) is not in the channel. */
export class AccountNotFoundError extends LedgerError {
  readonly reason = 'account_not_found';
  constructor(
    readonly operation: LedgerOperation,
    readonly role: AccountRole | null = null,
    readonly accountId: number | null = null,
  ) {
    super(`${operation}: the ${role ?? ''} account ${accountId ?? ''} is not in the channel`);
  }
}

/** A command's amount is not positive, or above the largest amount the ledger holds (the edge checks it first). */
export class AmountOutOfRangeError extends LedgerError {
  readonly reason = 'amount_out_of_range';
  constructor(
    readonly operation: LedgerOperation,
    readonly amount: MinorUnits,
  ) {
    super();
  }
}

/** A transfer from an account to itself. */
export class SameAccountError extends LedgerError {
  readonly reason = 'same_account';
  constructor(readonly accountId: number) {
    super();
  }
}

/** The account in `role` is in another currency than the operation. */
export class CurrencyMismatchError extends LedgerError {
  readonly reason = 'currency_mismatch';
  constructor(
    readonly operation: LedgerOperation,
    readonly role: AccountRole = 'destination',
  ) {
    super();
  }
}

/** The source has too little money and may not go below zero. */
export class InsufficientFundsError extends LedgerError {
  readonly reason = 'insufficient_funds';
  constructor(
    readonly operation: LedgerOperation,
    readonly accountId: number | null = null,
  ) {
    super();
  }
}

/** An account's balance would pass the largest amount the ledger holds (`max_minor`). */
export class BalanceLimitError extends LedgerError {
  readonly reason = 'balance_limit';
  constructor(
    readonly operation: LedgerOperation,
    readonly max_minor: MinorUnits,
  ) {
    super();
  }
}

/** The idempotency key was first used for a different request (or a different operation). */
export class IdempotencyConflictError extends LedgerError {
  readonly reason = 'idempotency_conflict';
}

/** The idempotency key is empty, longer than `max` or not printable ASCII. */
export class IdempotencyKeyInvalidError extends LedgerError {
  readonly reason = 'idempotency_key_invalid';
  constructor(readonly max: number) {
    super();
  }
}

/** The order was already paid from store credit with another amount. */
export class OrderPaymentConflictError extends LedgerError {
  readonly reason = 'order_payment_conflict';
}

/** The channel's LOYALTY_MONEY_ENABLED dynamic setting is off: checkout may not pay with store credit. */
export class LoyaltyMoneyDisabledError extends LedgerError {
  readonly reason = 'loyalty_money_disabled';
}

/** A refund above what its payment, or its order, can still give back: `available_minor` can. */
export class RefundCapExceededError extends LedgerError {
  readonly reason = 'refund_cap_exceeded';
  constructor(readonly available_minor: MinorUnits) {
    super();
  }
}

/** An amount for an order above the order's total. */
export class AmountExceedsOrderError extends LedgerError {
  readonly reason = 'amount_exceeds_order';
  constructor(
    readonly operation: LedgerOperation,
    readonly total_minor: MinorUnits,
  ) {
    super();
  }
}

/** No order with that number in the channel (or only a cancelled one). */
export class OrderNotFoundError extends LedgerError {
  readonly reason = 'order_not_found';
  constructor(readonly operation: LedgerOperation) {
    super();
  }
}

/** A refund names a transaction the channel does not have. */
export class PaymentNotFoundError extends LedgerError {
  readonly reason = 'payment_not_found';
}

/** A refund names a transaction that is not a store-credit order payment. */
export class NotAnOrderPaymentError extends LedgerError {
  readonly reason = 'not_an_order_payment';
}

/** A transaction looked up by uuid is not in the channel. */
export class TransactionNotFoundError extends LedgerError {
  readonly reason = 'transaction_not_found';
}

/** A refund's invoice account belongs to someone other than the order's owner (or is a system account). */
export class InvoiceOfOtherUserError extends LedgerError {
  readonly reason = 'invoice_other_user';
  constructor(readonly operation: LedgerOperation) {
    super();
  }
}

/**
 * A balance below zero on an account that may not have one: `cause` says which change asked for it, a new (or
 * opening) balance, or switching debit_allowed off under a negative one.
 */
export class NegativeBalanceNotAllowedError extends LedgerError {
  readonly reason = 'negative_balance_not_allowed';
  constructor(readonly change: 'balance' | 'debit_allowed') {
    super();
  }
}

/** An account in a currency the channel does not sell: it could never be spent. */
export class CurrencyNotSoldError extends LedgerError {
  readonly reason = 'currency_not_sold';
  constructor(readonly currency: string) {
    super();
  }
}

/** The account number is taken in the channel and currency (or is a system account's). */
export class AccountNumberTakenError extends LedgerError {
  readonly reason = 'number_taken';
}

/** The user already has a customer account in the currency. */
export class CustomerAccountExistsError extends LedgerError {
  readonly reason = 'customer_account_exists';
}

/** A system account's balance is the sum of its postings: neither it nor debit_allowed is set by hand. */
export class SystemAccountFixedError extends LedgerError {
  readonly reason = 'system_account_fixed';
  constructor(readonly change: 'balance' | 'debit_allowed') {
    super();
  }
}

/** The owner named by id is not a user of the channel. */
export class OwnerNotFoundError extends LedgerError {
  readonly reason = 'user_not_found';
}

/** The owner was named by id and e-mail, and they are different users. */
export class OwnerEmailMismatchError extends LedgerError {
  readonly reason = 'user_email_mismatch';
}

/** No user of the channel has the owner's e-mail. */
export class OwnerEmailNotFoundError extends LedgerError {
  readonly reason = 'user_email_not_found';
}

/** Several users of the channel share the owner's e-mail: the id must say which. */
export class OwnerEmailAmbiguousError extends LedgerError {
  readonly reason = 'user_email_ambiguous';
}

/** An account needs an owner, by id or by e-mail. */
export class OwnerRequiredError extends LedgerError {
  readonly reason = 'owner_required';
}

/** A list page larger than `max` rows (`bound` size) or deeper than `max` pages (`bound` depth). */
export class PageOutOfRangeError extends LedgerError {
  readonly reason = 'page_out_of_range';
  constructor(
    readonly bound: 'size' | 'depth',
    readonly max: number,
  ) {
    super();
  }
}

/** A list ordered by something it cannot be ordered by: `allowed` can. */
export class OrderingInvalidError extends LedgerError {
  readonly reason = 'ordering_invalid';
  constructor(readonly allowed: readonly string[]) {
    super();
  }
}

/**
 * A broken ledger invariant found by the service itself: a bug, never a client error. It aborts the database
 * transaction (nothing is written) and surfaces as a logged 500. Not a DomainError: no edge answers it.
 */
export class LedgerInvariantError extends Error {
  constructor(detail: string) {
    super(`Ledger invariant violated: ${detail}`);
    this.name = 'LedgerInvariantError';
  }
}
