import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type FindOptionsWhere, Raw } from 'typeorm';
import { violatedUniqueIndex } from '@app/database';
import { LocalLoyaltyAccountEntity } from '../entities/local-loyalty-account.entity';
import type { ExternalSearch } from '../provider/loyalty-provider';

/** The `local` provider's member accounts (the external loyalty system kept in this service's own tables). */
@Injectable()
export class LocalLoyaltyAccountRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get accounts() {
    return this.dataSource.getRepository(LocalLoyaltyAccountEntity);
  }

  /**
   * The channel's active members with the e-mail (any case) or the phone, and the date of birth where both have
   * one; oldest first, at most `max`.
   */
  search(channelId: number, query: ExternalSearch, max: number): Promise<LocalLoyaltyAccountEntity[]> {
    const builder = this.accounts
      .createQueryBuilder('a')
      .where('a.channel_id = :channelId', { channelId })
      .andWhere('a.active')
      .andWhere('(lower(a.email) = lower(:email)' + (query.phone ? ' OR a.phone = :phone)' : ')'), {
        email: query.email,
        phone: query.phone,
      })
      .orderBy('a.id')
      .limit(max);
    if (query.date_of_birth) {
      builder.andWhere('(a.date_of_birth IS NULL OR a.date_of_birth = :dob)', { dob: query.date_of_birth });
    }
    return builder.getMany();
  }

  /** A new account; `number_taken`, writing nothing, when its account number is one already. */
  async insert(values: Partial<LocalLoyaltyAccountEntity>): Promise<LocalLoyaltyAccountEntity | 'number_taken'> {
    try {
      return await this.accounts.save(this.accounts.create(values));
    } catch (error) {
      if (violatedUniqueIndex(error) !== undefined) return 'number_taken';
      throw error;
    }
  }

  /** The account by number, in the channel when one is given; null when none. */
  byNumber(accountNumber: string, channelId?: number): Promise<LocalLoyaltyAccountEntity | null> {
    return this.accounts.findOneBy(channelId === undefined ? { accountNumber } : { channelId, accountNumber });
  }

  save(row: LocalLoyaltyAccountEntity): Promise<LocalLoyaltyAccountEntity> {
    return this.accounts.save(row);
  }

  async deactivate(accountNumber: string): Promise<void> {
    await this.accounts.update({ accountNumber }, { active: false });
  }

  /** A page of the channel's accounts (with this e-mail, any case, when given), newest first, and the count. */
  page(
    channelId: number,
    email: string | undefined,
    offset: number,
    limit: number,
  ): Promise<[LocalLoyaltyAccountEntity[], number]> {
    const where: FindOptionsWhere<LocalLoyaltyAccountEntity> = { channelId };
    if (email) where.email = Raw((alias) => `lower(${alias}) = lower(:email)`, { email });
    return this.accounts.findAndCount({ where, order: { id: 'DESC' }, skip: offset, take: limit });
  }
}
