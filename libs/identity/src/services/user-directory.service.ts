import { Injectable } from '@nestjs/common';
import { UserRepository } from '../repositories/user.repository';
import { ChannelService } from './channel.service';

/**
 * The channel's users as other libs see them: id and e-mail only. It has the shape of the ledger's
 * `LedgerUserDirectory` port (structurally: identity does not import the ledger, dependencies point one way).
 */
@Injectable()
export class UserDirectoryService {
  constructor(
    private readonly users: UserRepository,
    private readonly channels: ChannelService,
  ) {}

  findById(channelId: number, userId: number): Promise<{ id: number; email: string } | null> {
    return this.users.findEmailById(channelId, userId);
  }

  /** E-mails are unique per channel without case, so this is zero or one id. */
  async findIdsByEmail(channelId: number, email: string): Promise<number[]> {
    const user = await this.users.findByEmail(channelId, email.trim().toLowerCase());
    return user ? [user.id] : [];
  }

  /** The currencies the channel sells in (none for a channel that does not exist). */
  async currenciesOf(channelId: number): Promise<readonly string[]> {
    return (await this.channels.find(channelId))?.currencies ?? [];
  }
}
