import { AMOUNT_MAX_MINOR, type MinorUnits } from '@app/common';
import type { AccountKind } from './entities/loyalty-account.entity';
import { AmountOutOfRangeError, type LedgerOperation } from './errors';
import type { LedgerOrder } from './ports';

/*
 * What the ledger's operations take: values already parsed by the caller's edge (amounts in minor units, ids as
 * numbers, text trimmed and within its column's length). The ledger checks the rules of money on them, not the
 * shape of a request.
 */

export interface TransferCommand {
  sourceId: number;
  destinationId: number;
  amount: MinorUnits;
}

export interface RefundCommand {
  /** The store-credit order payment to give back part of (lower-case uuid). */
  paymentUuid: string;
  amount: MinorUnits;
  /** The invoice account to refund into; null: the owner's customer account. */
  invoiceNumber: string | null;
}

export interface CrossRefundCommand {
  orderNumber: string;
  amount: MinorUnits;
  invoiceNumber: string | null;
}

export interface OrderPaymentCommand {
  orderNumber: string;
  /** What checkout pays from store credit: positive, at most the order total. */
  amount: MinorUnits;
  /**
   * The order as its caller holds it (checkout, paying an order it placed and still holds in an in-flight state):
   * the ledger then does not look it up again. Its number must be `orderNumber`.
   */
  order?: LedgerOrder;
}

export interface OrderEarningCommand {
  orderNumber: string;
  /** The store credit earned: positive, at most the order total (checkout computes it from the card-paid amount). */
  amount: MinorUnits;
}

export interface AccountCreateCommand {
  /** Null or left out: a UUID hex is generated. Unique within the channel and currency. */
  number?: string | null;
  /** The owner, by id, by e-mail, or by both (then they must agree). */
  userId?: number | null;
  userEmail?: string | null;
  /** Lower-case ISO code. */
  currency: string;
  /** Opening balance (0 when left out), moved from the BANK account; negative only when debit is allowed. */
  balance?: MinorUnits;
  /** False when left out. */
  debitAllowed?: boolean;
  /** 'customer' when left out. */
  kind?: AccountKind & ('customer' | 'invoice');
}

/** Each change left out (or null) leaves that part of the account as it is. */
export interface AccountUpdateCommand {
  /** The wanted balance: the difference moves from or to BANK as an adjustment. */
  balance?: MinorUnits | null;
  debitAllowed?: boolean | null;
  reason?: string | null;
}

/** A command's amount as the ledger takes it: positive and within what it holds. */
export function positiveAmount(operation: LedgerOperation, amount: MinorUnits): MinorUnits {
  if (amount <= 0n || amount > AMOUNT_MAX_MINOR) throw new AmountOutOfRangeError(operation, amount);
  return amount;
}
