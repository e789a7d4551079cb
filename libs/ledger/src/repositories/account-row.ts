import { minorFromDecimalText } from '@app/common';
import { type AccountKind, LoyaltyAccount } from '../entities/loyalty-account.entity';

/** An account row as the ledger's plain SQL reads it: the balance as exact text (numeric), turned into minor units. */
export interface AccountRow {
  id: number;
  channel_id: number;
  kind: AccountKind;
  number: string;
  user_id: number | null;
  currency: string;
  balance: string;
  debit_allowed: boolean;
  created_date: Date;
  modified_date: Date;
}

/** The SELECT list of an `AccountRow`, of the table or of its alias. */
export function accountColumns(alias?: string): string {
  const a = alias ? `${alias}.` : '';
  return `${a}"id", ${a}"channel_id", ${a}"kind", ${a}"number", ${a}"user_id", ${a}"currency", ${a}"balance"::text AS "balance",
    ${a}"debit_allowed", ${a}"created_date", ${a}"modified_date"`;
}

export function toAccount(row: AccountRow): LoyaltyAccount {
  return Object.assign(new LoyaltyAccount(), {
    id: row.id,
    channelId: row.channel_id,
    kind: row.kind,
    number: row.number,
    userId: row.user_id,
    currency: row.currency,
    balance: minorFromDecimalText(row.balance),
    debitAllowed: row.debit_allowed,
    createdDate: row.created_date,
    modifiedDate: row.modified_date,
  });
}
