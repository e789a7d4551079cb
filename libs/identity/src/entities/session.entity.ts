import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A storefront session kept in PostgreSQL (the default store). The row is keyed by the SHA-256 of the session id,
 * so a copy of this table does not hand out live cookies.
 */
@Entity({ name: 'sessions' })
@Index('sessions_expires_at_idx', ['expiresAt'])
export class SessionEntity {
  @PrimaryColumn({ name: 'id_hash', type: 'char', length: 64, primaryKeyConstraintName: 'sessions_pkey' })
  idHash!: string;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
