import { AppConfig } from './app-config';
import { ConfigError } from './config-parsers';

describe(AppConfig.name, () => {
  it('has a default for every setting', () => {
    const config = AppConfig.fromEnv({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      storefrontPort: 3000,
      omnitronPort: 3001,
      databaseUrl: undefined,
      redisUrl: undefined,
      defaultLanguage: 'tr',
      logLevel: 'info',
      bodyLimitBytes: 1_048_576,
      migrationsRun: true,
      storefrontChannelId: 1,
      passwordScryptLog2N: 15,
      sessionTtlSeconds: 1_209_600,
      sessionCookieSecure: true,
      enableXCookieHeader: false,
      redisKeyPrefix: 'loyalty:',
      staffTokenTtlSeconds: 2_592_000,
      staffTokenCacheSeconds: 5,
      authThrottleWindowSeconds: 900,
      authThrottleIpLimit: 300,
      authThrottleAccountLimit: 20,
      authThrottleAccountCeiling: 200,
    });
  });

  it.each([
    ['STOREFRONT_PORT', 'abc', /STOREFRONT_PORT: expected a whole number/],
    ['OMNITRON_PORT', '70000', /OMNITRON_PORT: expected a whole number from 0 to 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a URL starting with postgres:/],
    ['REDIS_URL', 'not a url', /REDIS_URL: not a valid URL/],
    ['DEFAULT_LANGUAGE', 'xx', /DEFAULT_LANGUAGE: expected one of tr, en, ar, ru, de, fr/],
    ['MIGRATIONS_RUN', 'maybe', /MIGRATIONS_RUN: expected true or false/],
    ['BODY_LIMIT_BYTES', '10', /BODY_LIMIT_BYTES: expected a whole number from 1024/],
    ['STOREFRONT_CHANNEL_ID', '0', /STOREFRONT_CHANNEL_ID: expected a whole number from 1/],
    ['PASSWORD_SCRYPT_LOG2_N', '8', /PASSWORD_SCRYPT_LOG2_N: expected a whole number from 10 to 20/],
    ['SESSION_TTL_SECONDS', '10', /SESSION_TTL_SECONDS: expected a whole number from 300/],
    ['ENABLE_X_COOKIE_HEADER', 'perhaps', /ENABLE_X_COOKIE_HEADER: expected true or false/],
    ['AUTH_THROTTLE_ACCOUNT_LIMIT', '0', /AUTH_THROTTLE_ACCOUNT_LIMIT: expected a whole number from 1/],
    [
      'AUTH_THROTTLE_ACCOUNT_CEILING',
      '19',
      /AUTH_THROTTLE_ACCOUNT_CEILING: must be at least AUTH_THROTTLE_ACCOUNT_LIMIT/,
    ],
  ])('fails fast naming %s when it is %p', (name, value, expected) => {
    expect(() => AppConfig.fromEnv({ [name]: value })).toThrow(ConfigError);
    expect(() => AppConfig.fromEnv({ [name]: value })).toThrow(expected);
  });

  it('gives a draining app the statement timeout plus 5 s unless SHUTDOWN_GRACE_MS says otherwise', () => {
    expect(AppConfig.fromEnv({}).shutdownGraceMs).toBe(20_000);
    expect(AppConfig.fromEnv({ DATABASE_STATEMENT_TIMEOUT_MS: '60000' }).shutdownGraceMs).toBe(65_000);
    expect(AppConfig.fromEnv({ SHUTDOWN_GRACE_MS: '3000' }).shutdownGraceMs).toBe(3_000);
    expect(() => AppConfig.fromEnv({ SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS: expected a whole number/);
  });

  it('reads valid values', () => {
    const config = AppConfig.fromEnv({ STOREFRONT_PORT: '8080', MIGRATIONS_RUN: 'off', DEFAULT_LANGUAGE: 'EN' });
    expect([config.storefrontPort, config.migrationsRun, config.defaultLanguage]).toEqual([8080, false, 'en']);
  });
});
