import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One fixed-window counter of `PostgresCounters` (used when REDIS_URL is unset). */
@Entity('rate_counter')
@Index('rate_counter_reset_at_idx', ['resetAt'])
export class RateCounterEntity {
  /** `counterKey(...)`: a scope and a digest of the identities, never an e-mail or phone in clear. */
  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'rate_counter_pkey' })
  key!: string;

  /** Tries counted in the window. */
  @Column({ type: 'integer' })
  hits!: number;

  /** Members counted once each in the window (digests of the SMS codes tried); empty for plain counters. */
  @Column({ type: 'text', array: true })
  members!: string[];

  /** When the window ends, by the app's clock. */
  @Column({ name: 'reset_at', type: 'timestamptz' })
  resetAt!: Date;
}
