import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Gender } from '../provider/loyalty-provider';

/** The `local` provider's stand-in for an external loyalty system's member account, in one channel. */
@Entity('local_loyalty_account')
@Index('local_loyalty_account_email_idx', ['channelId', 'email'])
@Index('local_loyalty_account_phone_idx', ['channelId', 'phone'])
export class LocalLoyaltyAccountEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Index('local_loyalty_account_number_uq', { unique: true })
  @Column({ name: 'account_number', type: 'varchar', length: 32 })
  accountNumber!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 60 })
  phone!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 30 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 30 })
  lastName!: string;

  @Column({ type: 'varchar', length: 7 })
  gender!: Gender;

  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth!: string | null;

  @Column({ name: 'email_allowed', type: 'boolean', nullable: true })
  emailAllowed!: boolean | null;

  @Column({ name: 'sms_allowed', type: 'boolean', nullable: true })
  smsAllowed!: boolean | null;

  @Column({ name: 'call_allowed', type: 'boolean', nullable: true })
  callAllowed!: boolean | null;

  @Column({ type: 'integer', default: 0 })
  points!: number;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
