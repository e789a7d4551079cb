import { ConfigError } from '@app/common';
import { LoyaltyCardConfig } from './loyalty-card.config';

describe(LoyaltyCardConfig.name, () => {
  it('defaults to the local provider, the SMS outbox and the spec’s limits', () => {
    const config = new LoyaltyCardConfig({});
    expect(config).toMatchObject({
      provider: 'local',
      isSync: true,
      pointsCacheTtlMs: 120_000,
      sms: { provider: 'outbox' },
      codeTtlMs: 180_000,
      codeAttemptsMax: 5,
      resendIntervalMs: 60_000,
      sendsPerHourMax: 5,
    });
  });

  it('reads the http provider with its timeout capped at 3 s', () => {
    const config = new LoyaltyCardConfig({
      CUSTOMER_LOYALTY_CARD_SERVICE: JSON.stringify({
        provider: 'http',
        options: { base_url: 'http://127.0.0.1:9/api', timeout_ms: 2500 },
        is_sync: false,
      }),
    });
    expect(config.http).toMatchObject({ baseUrl: 'http://127.0.0.1:9/api/', timeoutMs: 2500, readRetries: 2 });
    expect(config.isSync).toBe(false);
    expect(
      () =>
        new LoyaltyCardConfig({
          CUSTOMER_LOYALTY_CARD_SERVICE: '{"provider":"http","options":{"base_url":"http://x","timeout_ms":10000}}',
        }),
    ).toThrow(/CUSTOMER_LOYALTY_CARD_SERVICE: options.timeout_ms must be a whole number from 50 to 3000/);
  });

  it.each([
    ['CUSTOMER_LOYALTY_CARD_SERVICE', '{not json'],
    ['CUSTOMER_LOYALTY_CARD_SERVICE', '{"provider":"soap"}'],
    ['CUSTOMER_LOYALTY_CARD_SERVICE', '{"provider":"http"}'],
    ['SMS_SERVICE', '{"provider":"http"}'],
    ['SMS_CODE_TTL_MS', '0'],
  ])('fails fast naming %s for %p', (name, value) => {
    expect(() => new LoyaltyCardConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => new LoyaltyCardConfig({ [name]: value })).toThrow(name);
  });
});
