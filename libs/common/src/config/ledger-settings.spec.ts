import { AppConfig } from './app-config';
import { ConfigError } from './config-parsers';

describe('AppConfig ledger settings', () => {
  it('defaults the system account numbers to the platform’s', () => {
    const config = AppConfig.fromEnv({});
    expect([
      config.loyaltySaleAccountNumber,
      config.loyaltyBankAccountNumber,
      config.loyaltyRefundAccountNumber,
    ]).toEqual(['71c07edb-d531-49f1-aec6-b26a971104e4', 'Bank', 'ae73f88d-0fea-42d6-a695-36217b9b091b']);
  });

  it('reads them from the environment and refuses two equal numbers or one too long', () => {
    expect(AppConfig.fromEnv({ LOYALTY_BANK_ACCOUNT_UUID: 'Central' }).loyaltyBankAccountNumber).toBe('Central');
    expect(() => AppConfig.fromEnv({ LOYALTY_BANK_ACCOUNT_UUID: 'x', LOYALTY_REFUND_ACCOUNT_UUID: 'x' })).toThrow(
      ConfigError,
    );
    expect(() => AppConfig.fromEnv({ LOYALTY_SALE_ACCOUNT_UUID: 'a'.repeat(65) })).toThrow(ConfigError);
  });
});
