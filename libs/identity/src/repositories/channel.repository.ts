import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ChannelEntity } from '../entities/channel.entity';

/** Data access for channels; no rules here (the channel service caches and maps them). */
@Injectable()
export class ChannelRepository {
  constructor(@InjectRepository(ChannelEntity) private readonly channels: Repository<ChannelEntity>) {}

  findById(id: number): Promise<ChannelEntity | null> {
    return this.channels.findOne({ where: { id } });
  }
}
