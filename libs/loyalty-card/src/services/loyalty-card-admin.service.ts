import { Injectable } from '@nestjs/common';
import { type Page, type PageQueryDto, toPage } from '@app/common';
import type {
  LocalAccountPointsDto,
  LocalAccountQueryDto,
  LocalAccountResponseDto,
  SmsMessageResponseDto,
} from '../dtos/loyalty-card-admin.dto';
import { LocalAccountNotFoundError, ProviderNotLocalError } from '../errors';
import { toLocalAccountResponse, toSmsMessageResponse } from '../loyalty-card.mapper';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import { LocalLoyaltyAccountRepository } from '../repositories/local-loyalty-account.repository';
import { SmsRepository } from '../repositories/sms.repository';

/** Back-office views for development and demos: the channel's SMS outbox and `local` provider accounts. */
@Injectable()
export class LoyaltyCardAdminService {
  constructor(
    private readonly sms: SmsRepository,
    private readonly accounts: LocalLoyaltyAccountRepository,
    private readonly config: LoyaltyCardConfig,
  ) {}

  async smsMessages(channelId: number, query: PageQueryDto, url: URL): Promise<Page<SmsMessageResponseDto>> {
    const [rows, count] = await this.sms.messages(channelId, query.offset, query.page_size);
    return toPage(rows.map(toSmsMessageResponse), count, query, url);
  }

  async localAccounts(
    channelId: number,
    query: LocalAccountQueryDto,
    url: URL,
  ): Promise<Page<LocalAccountResponseDto>> {
    this.requireLocal();
    const [rows, count] = await this.accounts.page(channelId, query.email, query.offset, query.page_size);
    return toPage(rows.map(toLocalAccountResponse), count, query, url);
  }

  async setPoints(
    channelId: number,
    accountNumber: string,
    dto: LocalAccountPointsDto,
  ): Promise<LocalAccountResponseDto> {
    this.requireLocal();
    const row = await this.accounts.byNumber(accountNumber, channelId);
    if (!row) throw new LocalAccountNotFoundError();
    row.points = dto.points;
    return toLocalAccountResponse(await this.accounts.save(row));
  }

  private requireLocal(): void {
    if (this.config.provider !== 'local') throw new ProviderNotLocalError();
  }
}
