import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChannelEntity } from './channel.entity';

export const GENDERS = ['male', 'female', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

/**
 * A storefront customer of one channel. `emailLower` carries the uniqueness (per channel, without case) so no
 * database extension is needed; `email` keeps what the customer typed.
 */
@Entity({ name: 'users' })
@Index('users_channel_email_lower_key', ['channelId', 'emailLower'], { unique: true })
@Index('users_channel_username_key', ['channelId', 'username'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'users_pkey' })
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @ManyToOne(() => ChannelEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'channel_id', foreignKeyConstraintName: 'users_channel_id_fkey' })
  channel?: ChannelEntity;

  @Column({ type: 'varchar', length: 150 })
  username!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'email_lower', type: 'varchar', length: 254 })
  emailLower!: string;

  /** scrypt, salted; never leaves the service layer. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 150, default: '' })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 150, default: '' })
  lastName!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'date_joined', type: 'timestamptz' })
  dateJoined!: Date;

  @Column({ name: 'last_login', type: 'timestamptz', nullable: true })
  lastLogin!: Date | null;

  @Column({ name: 'email_allowed', type: 'boolean', default: false })
  emailAllowed!: boolean;

  @Column({ name: 'sms_allowed', type: 'boolean', default: false })
  smsAllowed!: boolean;

  @Column({ name: 'call_allowed', type: 'boolean', nullable: true })
  callAllowed!: boolean | null;

  @Column({ type: 'varchar', length: 16, default: 'unknown' })
  gender!: Gender;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth!: string | null;

  @Column({ name: 'attributes_kwargs', type: 'jsonb', default: () => "'{}'" })
  attributesKwargs!: Record<string, unknown>;

  @Column({ name: 'user_type', type: 'varchar', length: 32, default: 'registered' })
  userType!: string;

  @Column({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
