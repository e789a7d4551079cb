import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A text message sent through the `outbox` SMS provider: kept for the back-office to show in development. */
@Entity('sms_message')
@Index('sms_message_channel_created_idx', ['channelId', 'createdDate'])
export class SmsMessageEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ type: 'varchar', length: 60 })
  phone!: string;

  @Column({ type: 'varchar', length: 640 })
  body!: string;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
