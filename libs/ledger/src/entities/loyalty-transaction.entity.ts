import type { MinorUnits } from '@app/common';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { MONEY_COLUMN } from './money-column';

export const TRANSACTION_KINDS = [
  'opening',
  'adjustment',
  'transfer',
  'order_payment',
  'refund',
  'cross_refund',
  'earning_reversal',
] as const;
export type TransactionKind = (typeof TRANSACTION_KINDS)[number];

/** Marks the BANK -> customer transfer of an order's earning; with the order number it makes earning idempotent. */
export const ORDER_EARNING_REASON = 'order_earning';

export const REASON_LENGTH_MAX = 255;
export const REFERENCE_LENGTH_MAX = 64;
export const IDEMPOTENCY_KEY_LENGTH_MAX = 255;

/** One money movement: two or more postings (loyalty_transfer) summing to zero. Never updated or deleted. */
@Entity({ name: 'loyalty_transaction' })
@Check(
  'chk_loyalty_transaction_kind',
  `"kind" IN ('opening', 'adjustment', 'transfer', 'order_payment', 'refund', 'cross_refund', 'earning_reversal')`,
)
@Check('chk_loyalty_transaction_amount', `"amount" > 0`)
@Check(
  'chk_loyalty_transaction_order',
  `"kind" NOT IN ('order_payment', 'refund', 'cross_refund', 'earning_reversal') OR "order_number" IS NOT NULL`,
)
@Check(
  'chk_loyalty_transaction_refund_of',
  `("kind" IN ('refund', 'earning_reversal')) = ("refunded_transaction_id" IS NOT NULL)`,
)
@Check(
  'chk_loyalty_transaction_earning_shortfall',
  `"earning_shortfall" >= 0 AND ("earning_shortfall" = 0 OR "kind" IN ('refund', 'cross_refund', 'transfer'))`,
)
@Index('uq_loyalty_transaction_uuid', ['uuid'], { unique: true })
// One payment per order: the database, not only the service, makes order payment idempotent.
@Index('uq_loyalty_transaction_order_payment', ['channelId', 'orderNumber'], {
  unique: true,
  where: `"kind" = 'order_payment'`,
})
@Index('ix_loyalty_transaction_order', ['channelId', 'orderNumber', 'kind'])
@Index('ix_loyalty_transaction_refunded', ['refundedTransactionId'])
@Index('ix_loyalty_transaction_channel_created', ['channelId', 'createdDate'])
// The list newest first, by owner and by kind (migration 1765090000000).
@Index('ix_loyalty_transaction_channel_id', ['channelId', 'id'])
@Index('ix_loyalty_transaction_channel_user', ['channelId', 'userId', 'id'])
@Index('ix_loyalty_transaction_channel_kind', ['channelId', 'kind', 'id'])
export class LoyaltyTransaction {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_loyalty_transaction' })
  id!: number;

  @Column({ type: 'uuid' })
  uuid!: string;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: TransactionKind;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  /** What moved: the sum of the positive postings. */
  @Column(MONEY_COLUMN)
  amount!: MinorUnits;

  /** The order (checkout lib); no foreign key until it exists. */
  @Column({ name: 'order_id', type: 'integer', nullable: true })
  orderId!: number | null;

  @Column({ name: 'order_number', type: 'varchar', length: REFERENCE_LENGTH_MAX, nullable: true })
  orderNumber!: string | null;

  /** The customer the movement concerns (order owner, account owner), if any. */
  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @Column({ type: 'varchar', length: REFERENCE_LENGTH_MAX, nullable: true })
  reference!: string | null;

  /** The staff user (or customer) who asked for it; null for system-initiated movements. */
  @Column({ name: 'actor_id', type: 'integer', nullable: true })
  actorId!: number | null;

  @Column({ type: 'varchar', length: REASON_LENGTH_MAX, nullable: true })
  reason!: string | null;

  @Column({ name: 'idempotency_key', type: 'varchar', length: IDEMPOTENCY_KEY_LENGTH_MAX, nullable: true })
  idempotencyKey!: string | null;

  /**
   * For a refund: the order payment it gives money back from. For an earning reversal: the order's earning (the
   * BANK -> customer transfer) it takes back from.
   */
  @Column({ name: 'refunded_transaction_id', type: 'bigint', nullable: true })
  refundedTransactionId!: number | null;

  @ManyToOne(() => LoyaltyTransaction, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'refunded_transaction_id', foreignKeyConstraintName: 'fk_loyalty_transaction_refunded' })
  refundedTransaction?: LoyaltyTransaction | null;

  /**
   * On the transaction that made an earning reversal due (a refund, a cross-refund, or an earning credited after the
   * order's refunds): what of the earning's share due back the customer account did not hold, so was not taken.
   * 0 otherwise.
   */
  @Column({ name: 'earning_shortfall', ...MONEY_COLUMN, default: 0 })
  earningShortfall!: MinorUnits;

  @Column({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
