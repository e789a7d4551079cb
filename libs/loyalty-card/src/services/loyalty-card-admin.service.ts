import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type FindOptionsWhere, Raw, type Repository } from 'typeorm';
import { NotFoundError, type Page, type PageQueryDto, toPage } from '@app/common';
import type {
  LocalAccountPointsDto,
  LocalAccountQueryDto,
  LocalAccountResponseDto,
  SmsMessageResponseDto,
} from '../dtos/loyalty-card-admin.dto';
import { LocalLoyaltyAccountEntity } from '../entities/local-loyalty-account.entity';
import { SmsMessageEntity } from '../entities/sms-message.entity';
import { LoyaltyCardConfig } from '../loyalty-card.config';

function toAccount(row: LocalLoyaltyAccountEntity): LocalAccountResponseDto {
  return {
    account_number: row.accountNumber,
    email: row.email,
    phone: row.phone,
    first_name: row.firstName,
    last_name: row.lastName,
    points: row.points,
    active: row.active,
  };
}

/** Back-office views for development and demos: the channel's SMS outbox and `local` provider accounts. */
@Injectable()
export class LoyaltyCardAdminService {
  constructor(
    @InjectRepository(SmsMessageEntity) private readonly messages: Repository<SmsMessageEntity>,
    @InjectRepository(LocalLoyaltyAccountEntity) private readonly accounts: Repository<LocalLoyaltyAccountEntity>,
    private readonly config: LoyaltyCardConfig,
  ) {}

  async smsMessages(channelId: number, query: PageQueryDto, url: URL): Promise<Page<SmsMessageResponseDto>> {
    const [rows, count] = await this.messages.findAndCount({
      where: { channelId },
      order: { id: 'DESC' },
      skip: query.offset,
      take: query.page_size,
    });
    const results = rows.map((m) => ({
      pk: m.id,
      phone: m.phone,
      body: m.body,
      created_date: m.createdDate.toISOString(),
    }));
    return toPage(results, count, query, url);
  }

  async localAccounts(
    channelId: number,
    query: LocalAccountQueryDto,
    url: URL,
  ): Promise<Page<LocalAccountResponseDto>> {
    this.requireLocal();
    const where: FindOptionsWhere<LocalLoyaltyAccountEntity> = { channelId };
    if (query.email) where.email = Raw((alias) => `lower(${alias}) = lower(:email)`, { email: query.email });
    const [rows, count] = await this.accounts.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: query.offset,
      take: query.page_size,
    });
    return toPage(rows.map(toAccount), count, query, url);
  }

  async setPoints(
    channelId: number,
    accountNumber: string,
    dto: LocalAccountPointsDto,
  ): Promise<LocalAccountResponseDto> {
    this.requireLocal();
    const row = await this.accounts.findOneBy({ channelId, accountNumber });
    if (!row) throw new NotFoundError();
    row.points = dto.points;
    return toAccount(await this.accounts.save(row));
  }

  private requireLocal(): void {
    if (this.config.provider !== 'local') throw new NotFoundError('provider_not_local');
  }
}
