import { AMOUNT_MAX_MINOR, formatAmount, minorFromDecimalText, ValidationFailedError } from '@app/common';
import {
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientFundsError,
  LedgerInvariantError,
  LoyaltyMoneyDisabledError,
  OrderPaymentConflictError,
  RefundCapExceededError,
} from '../errors';
import type { LedgerRefusal } from '../repositories/ledger-functions';

/** The request field each account role of an operation was sent in. */
export interface RefusalFields {
  source: string;
  destination: string;
  amount: string;
}

export const TRANSFER_FIELDS: RefusalFields = {
  source: 'source_account',
  destination: 'destination_account',
  amount: 'amount',
};

/** A refund or cross-refund names its destination by `invoice_number` (or not at all: the owner's account). */
export const REFUND_FIELDS: RefusalFields = { source: 'amount', destination: 'invoice_number', amount: 'amount' };

/** A balance change names its account in the path: a refusal about it is about the new balance. */
export const ADJUST_FIELDS: RefusalFields = { source: 'balance', destination: 'balance', amount: 'balance' };

/** An order payment names no accounts: every refusal is about its amount. */
export const PAYMENT_FIELDS: RefusalFields = { source: 'amount', destination: 'amount', amount: 'amount' };

/** The service's typed error for a refusal of the ledger's SQL functions, on the fields of the operation refused. */
export function refusalError(refusal: LedgerRefusal, fields: RefusalFields): Error {
  switch (refusal.code) {
    case 'account_not_found':
      return ValidationFailedError.forField(
        refusal.role === 'destination' ? fields.destination : fields.source,
        'ledger.account_not_found',
      );
    case 'currency_mismatch':
      return new CurrencyMismatchError(fields.destination);
    case 'insufficient_funds':
      return new InsufficientFundsError(fields.amount);
    case 'balance_limit':
      return ValidationFailedError.forField(fields.amount, 'ledger.balance_limit', {
        max: formatAmount(AMOUNT_MAX_MINOR),
      });
    case 'idempotency_conflict':
      return new IdempotencyConflictError();
    case 'order_payment_conflict':
      return new OrderPaymentConflictError();
    case 'money_disabled':
      return new LoyaltyMoneyDisabledError();
    case 'refund_cap_exceeded':
      return new RefundCapExceededError(minorFromDecimalText(refusal.detail ?? '0'));
    case 'invoice_other_user':
      return ValidationFailedError.forField(fields.destination, 'ledger.invoice_other_user');
    case 'negative_balance_not_allowed':
      return ValidationFailedError.forField(
        refusal.detail === 'balance' ? 'balance' : 'debit_allowed',
        'ledger.negative_balance_not_allowed',
      );
    case 'system_account_missing':
      return new LedgerInvariantError(`the ${refusal.role ?? 'system'} account is missing`);
  }
}
