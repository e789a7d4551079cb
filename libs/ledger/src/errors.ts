import {
  AppError,
  ConflictError,
  formatAmount,
  type PlainMessageKey,
  type MinorUnits,
  NotFoundError,
  ValidationFailedError,
} from '@app/common';

/*
 * The ledger's typed errors. Each has a stable `code`; the ones about a request field extend ValidationFailedError
 * and name the field, so the HTTP layer renders them as the contract's 400 with `field_errors`.
 */

export class InsufficientFundsError extends ValidationFailedError {
  constructor(field = 'amount') {
    super({ [field]: [{ key: 'ledger.insufficient_funds' }] }, 'insufficient_funds', 'ledger.insufficient_funds');
  }
}

export class CurrencyMismatchError extends ValidationFailedError {
  constructor(field = 'destination_account') {
    super({ [field]: [{ key: 'ledger.currency_mismatch' }] }, 'currency_mismatch', 'ledger.currency_mismatch');
  }
}

export class RefundCapExceededError extends ValidationFailedError {
  constructor(readonly available_minor: MinorUnits) {
    const args = { available: formatAmount(available_minor) };
    super(
      { amount: [{ key: 'ledger.refund_cap_exceeded', args }] },
      'refund_cap_exceeded',
      'ledger.refund_cap_exceeded',
      args,
    );
  }
}

export class AmountExceedsOrderError extends ValidationFailedError {
  constructor(total_minor: MinorUnits) {
    const args = { total: formatAmount(total_minor) };
    super(
      { amount: [{ key: 'ledger.amount_exceeds_order', args }] },
      'amount_exceeds_order',
      'ledger.amount_exceeds_order',
      args,
    );
  }
}

/** The channel's LOYALTY_MONEY_ENABLED dynamic setting is off: checkout may not pay with store credit. */
export class LoyaltyMoneyDisabledError extends AppError {
  readonly status = 400;
  constructor() {
    super('loyalty_money_disabled', 'ledger.money_disabled');
  }
}

/** The idempotency key was first used for a different request (or a different operation). */
export class IdempotencyConflictError extends ConflictError {
  constructor(key: PlainMessageKey = 'ledger.idempotency_conflict', code = 'idempotency_conflict') {
    super(code, key);
  }
}

/** The order was already paid from store credit with another amount. */
export class OrderPaymentConflictError extends ConflictError {
  constructor() {
    super('order_payment_conflict', 'ledger.order_payment_mismatch');
  }
}

export class AccountNotFoundError extends NotFoundError {
  constructor() {
    super('loyalty_account_not_found', 'ledger.account_not_found');
  }
}

export class TransactionNotFoundError extends NotFoundError {
  constructor() {
    super('loyalty_transaction_not_found', 'ledger.transaction_not_found');
  }
}

/**
 * A broken ledger invariant found by the service itself: a bug, never a client error. It aborts the database
 * transaction (nothing is written) and surfaces as a logged 500.
 */
export class LedgerInvariantError extends Error {
  constructor(detail: string) {
    super(`Ledger invariant violated: ${detail}`);
    this.name = 'LedgerInvariantError';
  }
}
