import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { UserEntity } from '@app/identity';

/**
 * A phone a customer proved they hold: a correct SMS code sent to it in the loyalty-card flow. Only these phones
 * may link an existing external loyalty account, block another customer's enrolment or count as taken
 * (docs/security.md).
 */
@Entity('verified_phone')
@Index('verified_phone_user_phone_uq', ['userId', 'phone'], { unique: true })
@Index('verified_phone_channel_phone_idx', ['channelId', 'phone'])
export class VerifiedPhoneEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'verified_phone_user_fkey' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 60 })
  phone!: string;

  @Column({ name: 'verified_at', type: 'timestamptz' })
  verifiedAt!: Date;
}
