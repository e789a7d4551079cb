import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import type { LocalLoyaltyAccountEntity } from '../entities/local-loyalty-account.entity';
import { LocalLoyaltyAccountRepository } from '../repositories/local-loyalty-account.repository';
import { LoyaltyProviderError } from './http-loyalty-provider';
import type { ExternalAccount, ExternalProfile, ExternalSearch, LoyaltyProvider } from './loyalty-provider';

const SEARCH_RESULTS_MAX = 20;

function toAccount(row: LocalLoyaltyAccountEntity): ExternalAccount {
  return {
    account_number: row.accountNumber,
    first_name: row.firstName,
    last_name: row.lastName,
    email: row.email,
    phone: row.phone,
    gender: row.gender,
    date_of_birth: row.dateOfBirth,
    email_allowed: row.emailAllowed,
    sms_allowed: row.smsAllowed,
    call_allowed: row.callAllowed,
    active: row.active,
  };
}

function applyProfile(row: LocalLoyaltyAccountEntity, profile: ExternalProfile): void {
  row.firstName = profile.first_name;
  row.lastName = profile.last_name;
  row.email = profile.email;
  row.phone = profile.phone;
  row.gender = profile.gender;
  row.dateOfBirth = profile.date_of_birth;
  row.emailAllowed = profile.email_allowed;
  row.smsAllowed = profile.sms_allowed;
  row.callAllowed = profile.call_allowed;
}

/**
 * The `local` provider: the external loyalty system's accounts and points kept in this service's own tables, so
 * a demo works with no outside service. Each member belongs to the channel it enrolled in, and a search sees only
 * that channel's members. Staff set points through the back-office, in their own channel.
 */
@Injectable()
export class LocalLoyaltyProvider implements LoyaltyProvider {
  constructor(private readonly accounts: LocalLoyaltyAccountRepository) {}

  async search(channelId: number, query: ExternalSearch): Promise<ExternalAccount[]> {
    return (await this.accounts.search(channelId, query, SEARCH_RESULTS_MAX)).map(toAccount);
  }

  async create(channelId: number, profile: ExternalProfile): Promise<ExternalAccount> {
    // Account numbers look like an external system's: 10 random digits, retried on the rare collision.
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = { channelId, accountNumber: String(randomInt(1_000_000_000, 9_999_999_999)), points: 0 };
      applyProfile(row as LocalLoyaltyAccountEntity, profile);
      let saved: LocalLoyaltyAccountEntity | 'number_taken';
      try {
        saved = await this.accounts.insert(row);
      } catch (error) {
        // The provider's own store failing is the provider unavailable (a 503), as an external one's outage is.
        if (error instanceof QueryFailedError)
          throw new LoyaltyProviderError('unavailable', 'the account was not stored');
        throw error;
      }
      if (saved !== 'number_taken') return toAccount(saved);
    }
    throw new LoyaltyProviderError('unavailable', 'could not allocate an account number');
  }

  async points(accountNumber: string): Promise<number> {
    return (await this.find(accountNumber)).points;
  }

  async account(accountNumber: string): Promise<ExternalAccount> {
    return toAccount(await this.find(accountNumber));
  }

  async update(accountNumber: string, profile: ExternalProfile): Promise<ExternalAccount> {
    const row = await this.find(accountNumber);
    applyProfile(row, profile);
    return toAccount(await this.accounts.save(row));
  }

  async deactivate(accountNumber: string): Promise<void> {
    await this.accounts.deactivate(accountNumber);
  }

  private async find(accountNumber: string): Promise<LocalLoyaltyAccountEntity> {
    const row = await this.accounts.byNumber(accountNumber);
    if (!row) throw new LoyaltyProviderError('not_found', accountNumber);
    return row;
  }
}
