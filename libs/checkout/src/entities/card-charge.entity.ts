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
import { MONEY_COLUMN } from '@app/ledger';
import { OrderEntity } from './order.entity';

export const CARD_CHARGE_STATUSES = ['approved', 'declined', 'voided'] as const;
export type CardChargeStatus = (typeof CARD_CHARGE_STATUSES)[number];

/**
 * The card charge of an order: at most one per order (the unique index makes a repeated completion unable to charge
 * twice). Only the last four digits and the card type are kept, never the number, expiry or CVV.
 */
@Entity('card_charge')
@Check('chk_card_charge_status', `"status" IN ('approved', 'declined', 'voided')`)
@Check('chk_card_charge_amount', `"amount" > 0 AND "interest_amount" >= 0 AND "interest_amount" <= "amount"`)
@Check('chk_card_charge_last4', `"card_last4" IS NULL OR "card_last4" ~ '^[0-9]{4}$'`)
@Check('chk_card_charge_installments', `"installment_count" IN (1, 3, 6)`)
export class CardChargeEntity {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'card_charge_pkey' })
  id!: number;

  @Index('card_charge_order_uq', { unique: true })
  @Column({ name: 'order_id', type: 'integer' })
  orderId!: number;

  @ManyToOne(() => OrderEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'order_id', foreignKeyConstraintName: 'card_charge_order_fkey' })
  order?: Relation<OrderEntity>;

  @Column({ type: 'varchar', length: 32 })
  gateway!: string;

  /** The gateway's id of the charge; empty for a decline. */
  @Column({ type: 'varchar', length: 64 })
  reference!: string;

  /** What the card was asked for: the order's card amount plus installment interest. */
  @Column({ ...MONEY_COLUMN })
  amount!: MinorUnits;

  @Column({ name: 'interest_amount', ...MONEY_COLUMN })
  interestAmount!: MinorUnits;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ name: 'installment_count', type: 'smallint' })
  installmentCount!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: CardChargeStatus;

  /** The gateway's reason of a decline (`declined`, `insufficient_funds`, `three_d_required`). */
  @Column({ name: 'decline_reason', type: 'varchar', length: 32, nullable: true })
  declineReason!: string | null;

  @Column({ name: 'card_last4', type: 'varchar', length: 4, nullable: true })
  cardLast4!: string | null;

  @Column({ name: 'card_type', type: 'varchar', length: 16, nullable: true })
  cardType!: string | null;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
