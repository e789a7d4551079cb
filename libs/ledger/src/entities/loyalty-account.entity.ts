import type { MinorUnits } from '@app/common';
import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MONEY_COLUMN } from './money-column';

export const ACCOUNT_KINDS = ['customer', 'invoice', 'sale', 'bank', 'refund'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const SYSTEM_ACCOUNT_KINDS = ['sale', 'bank', 'refund'] as const satisfies readonly AccountKind[];
export type SystemAccountKind = (typeof SYSTEM_ACCOUNT_KINDS)[number];

/**
 * Customer and invoice accounts keep a running `balance` on the row, updated under a row lock in the same database
 * transaction as their postings. System accounts (SALE, BANK, REFUND) do not: every order payment credits the one
 * SALE account, and a running balance there would make all payments of a channel queue behind one row lock.
 * Their balance is the sum of their postings; the row's balance stays 0.
 */
export function keepsRunningBalance(kind: AccountKind): boolean {
  return kind === 'customer' || kind === 'invoice';
}

export const ACCOUNT_NUMBER_LENGTH_MAX = 64;

@Entity({ name: 'loyalty_account' })
@Check('chk_loyalty_account_kind', `"kind" IN ('customer', 'invoice', 'sale', 'bank', 'refund')`)
@Check('chk_loyalty_account_balance_floor', `"debit_allowed" OR "balance" >= 0`)
@Check('chk_loyalty_account_owner', `("kind" IN ('customer', 'invoice')) = ("user_id" IS NOT NULL)`)
@Check('chk_loyalty_account_system', `"kind" IN ('customer', 'invoice') OR ("balance" = 0 AND "debit_allowed")`)
@Check('chk_loyalty_account_currency', `"currency" ~ '^[a-z]{3}$'`)
@Check('chk_loyalty_account_number', `length("number") > 0`)
@Index('uq_loyalty_account_number', ['channelId', 'currency', 'number'], { unique: true })
@Index('uq_loyalty_account_customer', ['channelId', 'userId', 'currency'], {
  unique: true,
  where: `"kind" = 'customer'`,
})
@Index('uq_loyalty_account_system', ['channelId', 'currency', 'kind'], {
  unique: true,
  where: `"kind" IN ('sale', 'bank', 'refund')`,
})
@Index('ix_loyalty_account_user', ['channelId', 'userId', 'currency'])
// The list's orderings by what never changes (migration 1765090000000); not balance or modified_date, on purpose.
@Index('ix_loyalty_account_channel_id', ['channelId', 'id'])
@Index('ix_loyalty_account_channel_created', ['channelId', 'createdDate', 'id'])
@Index('ix_loyalty_account_channel_number', ['channelId', 'number', 'id'])
export class LoyaltyAccount {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'pk_loyalty_account' })
  id!: number;

  /** The sales channel (identity lib); a foreign key is added when identity merges. */
  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  @Column({ type: 'varchar', length: ACCOUNT_NUMBER_LENGTH_MAX })
  number!: string;

  /** Owner of customer and invoice accounts; null for system accounts. */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  /** Lower-case ISO code, as the contract spells it ("try", "eur"). */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column(MONEY_COLUMN)
  balance!: MinorUnits;

  @Column({ name: 'debit_allowed', type: 'boolean' })
  debitAllowed!: boolean;

  @Column({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @Column({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
