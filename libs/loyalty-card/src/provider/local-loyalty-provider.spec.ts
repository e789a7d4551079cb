import { QueryFailedError } from 'typeorm';
import type { LocalLoyaltyAccountEntity } from '../entities/local-loyalty-account.entity';
import type { LocalLoyaltyAccountRepository } from '../repositories/local-loyalty-account.repository';
import { LoyaltyProviderError } from './http-loyalty-provider';
import { LocalLoyaltyProvider } from './local-loyalty-provider';
import type { ExternalProfile } from './loyalty-provider';

const PROFILE: ExternalProfile = {
  first_name: 'Jane',
  last_name: 'Doe',
  email: 'jane@example.com',
  phone: '+905551234567',
  gender: 'female',
  date_of_birth: null,
  email_allowed: true,
  sms_allowed: true,
  call_allowed: false,
};

/** A provider over an account store whose inserts answer `answers` in turn. */
function providerWith(answers: (() => Promise<LocalLoyaltyAccountEntity | 'number_taken'>)[]) {
  const inserted: Partial<LocalLoyaltyAccountEntity>[] = [];
  const accounts = {
    insert: (row: Partial<LocalLoyaltyAccountEntity>) => {
      inserted.push(row);
      return answers[inserted.length - 1]();
    },
  } as unknown as LocalLoyaltyAccountRepository;
  return { provider: new LocalLoyaltyProvider(accounts), inserted };
}

describe(LocalLoyaltyProvider.name, () => {
  it('draws another account number when the drawn one is taken', async () => {
    const stored = (row: Partial<LocalLoyaltyAccountEntity>) =>
      Promise.resolve({ ...row, active: true } as LocalLoyaltyAccountEntity);
    const { provider, inserted } = providerWith([() => Promise.resolve('number_taken'), () => stored(inserted[1])]);
    const account = await provider.create(1, PROFILE);
    expect(inserted).toHaveLength(2);
    expect(account.account_number).toBe(inserted[1].accountNumber);
    expect(account.email).toBe('jane@example.com');
  });

  it('answers its own store failing as the provider unavailable (a 503), not as a bare database error', async () => {
    const { provider } = providerWith([() => Promise.reject(new QueryFailedError('INSERT', [], new Error('timeout')))]);
    await expect(provider.create(1, PROFILE)).rejects.toMatchObject({
      constructor: LoyaltyProviderError,
      failure: 'unavailable',
    });
  });

  it('gives up after five taken numbers, as unavailable', async () => {
    const { provider, inserted } = providerWith(
      Array.from({ length: 5 }, () => () => Promise.resolve('number_taken' as const)),
    );
    await expect(provider.create(1, PROFILE)).rejects.toBeInstanceOf(LoyaltyProviderError);
    expect(inserted).toHaveLength(5);
  });
});
