import type { MinorUnits } from '@app/common';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { LoyaltyAccount } from './loyalty-account.entity';
import { LoyaltyTransaction } from './loyalty-transaction.entity';
import { MONEY_COLUMN } from './money-column';

/**
 * A posting: one signed amount on one account. Append-only (a trigger refuses UPDATE and DELETE); the postings of
 * a transaction sum to zero in one currency (a deferred constraint trigger checks it at commit).
 */
@Entity({ name: 'loyalty_transfer' })
@Check('chk_loyalty_transfer_amount', `"amount" <> 0`)
@Index('ix_loyalty_transfer_account', ['accountId', 'id'])
@Index('ix_loyalty_transfer_transaction', ['transactionId'])
// A created-date range, newest first (migration 1765130000000).
@Index('ix_loyalty_transfer_channel_created_id', ['channelId', 'createdDate', 'id'])
// The postings list newest first, and by currency (migration 1765090000000).
@Index('ix_loyalty_transfer_channel_id', ['channelId', 'id'])
@Index('ix_loyalty_transfer_channel_currency', ['channelId', 'currency', 'id'])
export class LoyaltyTransfer {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_loyalty_transfer' })
  id!: number;

  @Column({ name: 'transaction_id', type: 'bigint' })
  transactionId!: number;

  @ManyToOne(() => LoyaltyTransaction, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'transaction_id', foreignKeyConstraintName: 'fk_loyalty_transfer_transaction' })
  transaction?: LoyaltyTransaction;

  @Column({ name: 'account_id', type: 'integer' })
  accountId!: number;

  @ManyToOne(() => LoyaltyAccount, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'fk_loyalty_transfer_account' })
  account?: LoyaltyAccount;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** Signed: positive credits the account, negative debits it. */
  @Column(MONEY_COLUMN)
  amount!: MinorUnits;

  /** The account's balance right after this posting; null for system accounts (no running balance). */
  @Column({ name: 'balance_after', ...MONEY_COLUMN, nullable: true })
  balanceAfter!: MinorUnits | null;

  @Column({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
