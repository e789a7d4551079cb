import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { StaffUserEntity } from './staff-user.entity';

/** An API token of a staff user, stored as its SHA-256 (the token itself is random and shown once). */
@Entity({ name: 'staff_tokens' })
@Index('staff_tokens_token_hash_key', ['tokenHash'], { unique: true })
@Index('staff_tokens_staff_user_id_idx', ['staffUserId'])
export class StaffTokenEntity {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'staff_tokens_pkey' })
  id!: number;

  @Column({ name: 'staff_user_id', type: 'integer' })
  staffUserId!: number;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'staff_user_id', foreignKeyConstraintName: 'staff_tokens_staff_user_id_fkey' })
  staffUser?: StaffUserEntity;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
