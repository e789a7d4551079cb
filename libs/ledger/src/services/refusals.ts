import { AMOUNT_MAX_MINOR, minorFromDecimalText } from '@app/common';
import {
  AccountNotFoundError,
  BalanceLimitError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientFundsError,
  InvoiceOfOtherUserError,
  LedgerInvariantError,
  type LedgerOperation,
  LoyaltyMoneyDisabledError,
  NegativeBalanceNotAllowedError,
  OrderPaymentConflictError,
  RefundCapExceededError,
} from '../errors';
import type { LedgerRefusal } from '../repositories/ledger-functions';

/** The typed error for a refusal of the ledger's SQL functions, in the operation refused. */
export function refusalError(refusal: LedgerRefusal, operation: LedgerOperation): Error {
  const role = refusal.role === 'source' || refusal.role === 'destination' ? refusal.role : null;
  switch (refusal.code) {
    case 'account_not_found':
      return new AccountNotFoundError(operation, role ?? 'source');
    case 'currency_mismatch':
      return new CurrencyMismatchError(operation, role ?? 'destination');
    case 'insufficient_funds':
      return new InsufficientFundsError(operation);
    case 'balance_limit':
      return new BalanceLimitError(operation, AMOUNT_MAX_MINOR);
    case 'idempotency_conflict':
      return new IdempotencyConflictError();
    case 'order_payment_conflict':
      return new OrderPaymentConflictError();
    case 'money_disabled':
      return new LoyaltyMoneyDisabledError();
    case 'refund_cap_exceeded':
      return new RefundCapExceededError(minorFromDecimalText(refusal.detail ?? '0'));
    case 'invoice_other_user':
      return new InvoiceOfOtherUserError(operation);
    case 'negative_balance_not_allowed':
      return new NegativeBalanceNotAllowedError(refusal.detail === 'balance' ? 'balance' : 'debit_allowed');
    case 'system_account_missing':
      return new LedgerInvariantError(`the ${refusal.role ?? 'system'} account is missing`);
  }
}
