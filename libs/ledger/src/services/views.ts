import type { MinorUnits, PageCursor } from '@app/common';
import type { AccountKind } from '../entities/loyalty-account.entity';
import type { TransactionKind } from '../entities/loyalty-transaction.entity';

/** A loyalty account as the API shows it; amounts in minor units (the HTTP layer formats them). */
export interface AccountView {
  pk: number;
  number: string;
  kind: AccountKind;
  user: number | null;
  user_email: string | null;
  currency: string;
  /** Running balance, or for system accounts the sum of their postings. */
  balance_minor: MinorUnits;
  debit_allowed: boolean;
  created_date: Date;
  modified_date: Date;
}

export interface TransactionSummaryView {
  uuid: string;
  kind: TransactionKind;
  /** The order number, or null. */
  order: string | null;
  actor: number | null;
  created_date: Date;
}

/** One posting. */
export interface TransferView {
  pk: number;
  account: number;
  account_number: string;
  account_kind: AccountKind;
  user: number | null;
  amount_minor: MinorUnits;
  currency: string;
  /** Null for system accounts, which keep no running balance. */
  balance_after_minor: MinorUnits | null;
  created_date: Date;
  transaction: TransactionSummaryView;
}

export interface TransactionView {
  pk: number;
  uuid: string;
  kind: TransactionKind;
  currency: string;
  amount_minor: MinorUnits;
  /** The order's pk, as the contract's `order` field of a refund. */
  order: number | null;
  order_number: string | null;
  user: number | null;
  user_email: string | null;
  reference: string | null;
  actor: number | null;
  reason: string | null;
  /** For a refund: the payment it refunds; for an earning reversal: the earning it takes back from. */
  refunded_transaction_uuid: string | null;
  /** What of the order's earning this transaction made due back but the customer account did not hold (0: none). */
  earning_shortfall_minor: MinorUnits;
  created_date: Date;
  transfers: TransferView[];
}

export type { PageCursor, PageRequest } from '@app/common';

export interface PageResult<T> {
  count: number;
  results: T[];
  /** Keyset lists: the cursors of the neighbouring pages, null at either end. */
  next?: PageCursor | null;
  previous?: PageCursor | null;
}
