import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SmsMessageEntity } from '../entities/sms-message.entity';
import { SmsSendEntity } from '../entities/sms-send.entity';

/** The SMS records: every code sent (for support and audits), and the `outbox` sender's stored messages. */
@Injectable()
export class SmsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A code was sent to `phone` for the user (the limits do not read these: the shared counters hold them). */
  async recordSend(channelId: number, userId: number, phone: string, sentAt: Date): Promise<void> {
    await this.dataSource.getRepository(SmsSendEntity).insert({ channelId, userId, phone, sentAt });
  }

  /** Stores a message the `outbox` sender "sends". */
  async storeMessage(channelId: number, phone: string, body: string): Promise<void> {
    await this.dataSource.getRepository(SmsMessageEntity).insert({ channelId, phone, body });
  }

  /** A page of the channel's stored messages, newest first, and how many there are. */
  messages(channelId: number, offset: number, limit: number): Promise<[SmsMessageEntity[], number]> {
    return this.dataSource
      .getRepository(SmsMessageEntity)
      .findAndCount({ where: { channelId }, order: { id: 'DESC' }, skip: offset, take: limit });
  }
}
