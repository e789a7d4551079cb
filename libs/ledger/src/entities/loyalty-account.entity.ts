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
@Index('uq_loyalty_account_number', ['channel_id', 'currency', 'number'], { unique: true })
@Index('uq_loyalty_account_customer', ['channel_id', 'user_id', 'currency'], {
  unique: true,
  where: `"kind" = 'customer'`,
})
@Index('uq_loyalty_account_system', ['channel_id', 'currency', 'kind'], {
  unique: true,
  where: `"kind" IN ('sale', 'bank', 'refund')`,
})
@Index('ix_loyalty_account_user', ['channel_id', 'user_id', 'currency'])
// The list's orderings by what never changes (migration 1765090000000); not balance or modified_date, on purpose.
@Index('ix_loyalty_account_channel_id', ['channel_id', 'id'])
@Index('ix_loyalty_account_channel_created', ['channel_id', 'created_date', 'id'])
@Index('ix_loyalty_account_channel_number', ['channel_id', 'number', 'id'])
export class LoyaltyAccount {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'pk_loyalty_account' })
  id!: number;

  /** The sales channel (identity lib); a foreign key is added when identity merges. */
  @Column({ type: 'integer' })
  channel_id!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: AccountKind;

  @Column({ type: 'varchar', length: ACCOUNT_NUMBER_LENGTH_MAX })
  number!: string;

  /** Owner of customer and invoice accounts; null for system accounts. */
  @Column({ type: 'integer', nullable: true })
  user_id!: number | null;

  /** Lower-case ISO code, as the contract spells it ("try", "eur"). */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column(MONEY_COLUMN)
  balance!: MinorUnits;

  @Column({ type: 'boolean' })
  debit_allowed!: boolean;

  @Column({ type: 'timestamptz' })
  created_date!: Date;

  @Column({ type: 'timestamptz' })
  modified_date!: Date;
}
