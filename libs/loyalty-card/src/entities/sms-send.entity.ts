import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One verification code sent: the hourly limits per user and per phone count these rows, so they hold across
 * sessions and instances.
 */
@Entity('sms_send')
@Index('sms_send_phone_idx', ['channelId', 'phone', 'sentAt'])
@Index('sms_send_user_idx', ['channelId', 'userId', 'sentAt'])
export class SmsSendEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @Column({ type: 'varchar', length: 60 })
  phone!: string;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;
}
