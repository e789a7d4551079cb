import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { IDEMPOTENCY_KEY_LENGTH_MAX } from './loyalty-transaction.entity';

/** What a money operation did for a client's idempotency key; saved in the operation's own database transaction. */
export interface IdempotentResult {
  transaction_uuid?: string | null;
  account_id?: number | null;
}

@Entity({ name: 'loyalty_idempotency_key' })
// The unique index is what makes concurrent repeats safe: the second INSERT waits for the first transaction.
@Index('uq_loyalty_idempotency_key', ['channelId', 'key'], { unique: true })
export class LoyaltyIdempotencyKey {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'pk_loyalty_idempotency_key' })
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: IDEMPOTENCY_KEY_LENGTH_MAX })
  key!: string;

  @Column({ type: 'varchar', length: 32 })
  operation!: string;

  /** sha256 (hex) of the operation and its normalised request. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'jsonb', nullable: true })
  result!: IdempotentResult | null;

  @Column({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
