import {
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
import { UserEntity } from '@app/identity';

/**
 * A customer's link to their account in the external loyalty system: one card per user, and one user per external
 * account in a channel (otherwise anyone could claim someone else's points).
 */
@Entity('loyalty_card')
@Index('loyalty_card_account_uq', ['channelId', 'accountNumber'], { unique: true })
export class LoyaltyCardEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Index('loyalty_card_user_uq', { unique: true })
  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'loyalty_card_user_fkey' })
  user?: Relation<UserEntity>;

  /** The card number: the member's phone, as the platform shows it. */
  @Column({ type: 'varchar', length: 60 })
  number!: string;

  @Column({ name: 'account_number', type: 'varchar', length: 64 })
  accountNumber!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
