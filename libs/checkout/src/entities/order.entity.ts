import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import type { MinorUnits } from '@app/common';
import { UserEntity } from '@app/identity';
import { MONEY_COLUMN } from '@app/ledger';
import type { AddressResponseDto } from '../dtos/address.dto';

/**
 * `pending`: placed, stock held, basket emptied; `charging`: the card charge was requested; `charged`: the card
 * was approved, store credit not paid yet; then `completed`, or `cancelled` (charge voided, stock and basket given
 * back), or `payment_review` (the outcome cannot be known: staff settle it). See docs/checkout.md.
 */
export const ORDER_STATUSES = ['pending', 'charging', 'charged', 'completed', 'cancelled', 'payment_review'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** The states a placement passes through; an order found in one long after is driven on by the recovery worker. */
export const IN_FLIGHT_STATUSES = ['pending', 'charging', 'charged'] as const satisfies readonly OrderStatus[];
export const SETTLE_ACTIONS = ['complete', 'cancel'] as const;
export type SettleAction = (typeof SETTLE_ACTIONS)[number];

/**
 * Why an order is `cancelled`. The first three are failed placement attempts: the card was declined, the store-credit
 * payment was refused (any charge voided), or recovery cancelled a placement that never finished (nothing charged).
 * The customer never had the order, so their order history leaves them out; staff see every one. `staff_cancelled`:
 * staff settled a `payment_review` order by cancelling it, an order the customer had been shown, so it stays theirs.
 */
export const CANCEL_REASONS = [
  'card_declined',
  'store_credit_refused',
  'placement_unfinished',
  'staff_cancelled',
] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
/** Cancel reasons of attempts the customer never placed: not in `/users/orders/`. */
export const ATTEMPT_CANCEL_REASONS = [
  'card_declined',
  'store_credit_refused',
  'placement_unfinished',
] as const satisfies readonly CancelReason[];
export const CANCEL_DETAIL_LENGTH_MAX = 200;
/** The longest reason kept of a staff settlement (longer ones are cut to it). */
export const SETTLED_REASON_LENGTH_MAX = 500;

/** One line as it was bought: later catalogue changes never alter an order. Amounts are decimal strings. */
export interface OrderItemSnapshot {
  product: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price: string;
  total_amount: string;
}

/**
 * A placed order. The amounts split the total between store credit (`loyalty_amount`, paid through the ledger by
 * the order number) and the card (`card_amount`); the CHECK keeps the split exact.
 */
@Entity('orders')
@Index('orders_user_latest_idx', ['channelId', 'userId', 'id'])
@Check('chk_orders_number', `"number" ~ '^[0-9]{16}$'`)
@Check('chk_orders_currency', `"currency" ~ '^[a-z]{3}$'`)
@Check('chk_orders_interest', `"interest_amount" >= 0 AND ("card_amount" > 0 OR "interest_amount" = 0)`)
@Check(
  'chk_orders_status',
  `"status" IN ('pending', 'charging', 'charged', 'completed', 'cancelled', 'payment_review')`,
)
@Index('orders_status_modified_idx', ['status', 'modifiedDate'])
@Check(
  'chk_orders_cancel_reason',
  `"cancel_reason" IS NULL OR ("status" = 'cancelled' AND "cancel_reason" IN ('card_declined', 'store_credit_refused', 'placement_unfinished', 'staff_cancelled'))`,
)
@Check(
  'chk_orders_amounts',
  `"loyalty_amount" >= 0 AND "card_amount" >= 0 AND "total_amount" = "loyalty_amount" + "card_amount"`,
)
export class OrderEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** 16 digits, unique across channels, shown to the customer and used by the ledger as the payment's key. */
  @Index('orders_number_uq', { unique: true })
  @Column({ type: 'varchar', length: 16 })
  number!: string;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'orders_user_fkey' })
  user?: Relation<UserEntity>;

  /** Lower-case, as the ledger's accounts. */
  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'jsonb' })
  items!: OrderItemSnapshot[];

  /** The addresses as the customer chose them, in the storefront's address shape; null on orders placed before. */
  @Column({ name: 'shipping_address', type: 'jsonb', nullable: true })
  shippingAddress!: AddressResponseDto | null;

  @Column({ name: 'billing_address', type: 'jsonb', nullable: true })
  billingAddress!: AddressResponseDto | null;

  @Column({ name: 'total_amount', ...MONEY_COLUMN })
  totalAmount!: MinorUnits;

  @Column({ name: 'loyalty_amount', ...MONEY_COLUMN })
  loyaltyAmount!: MinorUnits;

  @Column({ name: 'card_amount', ...MONEY_COLUMN })
  cardAmount!: MinorUnits;

  @Column({ type: 'varchar', length: 16 })
  status!: OrderStatus;

  /** Installment interest charged to the card on top of `card_amount`; not part of the order total. */
  @Column({ name: 'interest_amount', ...MONEY_COLUMN, default: 0 })
  interestAmount!: MinorUnits;

  @Column({ name: 'installment_count', type: 'smallint', default: 1 })
  installmentCount!: number;

  /** The paying card's last four digits and type; never the number itself. Null without a card payment. */
  @Column({ name: 'card_last4', type: 'varchar', length: 4, nullable: true })
  cardLast4!: string | null;

  @Column({ name: 'card_type', type: 'varchar', length: 16, nullable: true })
  cardType!: string | null;

  /** The payment option's slug (`credit_card`, `loyalty_money`, ...). */
  @Column({ name: 'payment_option', type: 'varchar', length: 64 })
  paymentOption!: string;

  /** Why the order is in `payment_review`. */
  @Column({ name: 'review_reason', type: 'varchar', length: 200, nullable: true })
  reviewReason!: string | null;

  /** Why the order was cancelled (CANCEL_REASONS); null for any other state. */
  @Column({ name: 'cancel_reason', type: 'varchar', length: 32, nullable: true })
  cancelReason!: CancelReason | null;

  /** What the reason rests on: the gateway's decline reason, the ledger's refusal code, what recovery found. */
  @Column({ name: 'cancel_detail', type: 'varchar', length: CANCEL_DETAIL_LENGTH_MAX, nullable: true })
  cancelDetail!: string | null;

  /** SHA-256 of the id of the session that placed the order: its repeated final post answers this order. */
  @Column({ name: 'placed_session', type: 'char', length: 64, nullable: true })
  placedSession!: string | null;

  /** How staff settled a `payment_review` order, why, who and when. */
  @Column({ name: 'settled_action', type: 'varchar', length: 16, nullable: true })
  settledAction!: SettleAction | null;

  @Column({ name: 'settled_reason', type: 'varchar', length: SETTLED_REASON_LENGTH_MAX, nullable: true })
  settledReason!: string | null;

  @Column({ name: 'settled_by', type: 'integer', nullable: true })
  settledBy!: number | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
