import { INT4_MAX } from '../http/input-limits';
import { resolve } from 'node:path';
import { SUPPORTED_LANGUAGES, type Language } from '../i18n/languages';
import { ConfigError, type Env, readBool, readEnum, readInt, readString, readUrl } from './config-parsers';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every setting of both apps, read and validated once at boot. Documented, with defaults, in README.md.
 * Services receive this object through dependency injection and never read process.env themselves.
 */
export class AppConfig {
  readonly host: string;
  readonly storefrontPort: number;
  readonly omnitronPort: number;
  /** Unset: `npm start` runs an embedded PostgreSQL and fills this in before the apps boot. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly databaseStatementTimeoutMs: number;
  /** How long a draining app (SIGTERM/SIGINT) waits for the requests it has received before it cuts them. */
  readonly shutdownGraceMs: number;
  readonly migrationsRun: boolean;
  readonly redisUrl: string | undefined;
  readonly defaultLanguage: Language;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  readonly swaggerEnabled: boolean;
  /** When set, `GET /metrics` answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  readonly metricsToken: string | undefined;
  readonly trustProxy: boolean;
  readonly embeddedPostgresDir: string;
  readonly embeddedPostgresPort: number;
  /** The sales channel a storefront instance serves. */
  readonly storefrontChannelId: number;
  /** scrypt cost as log2(N): 15 (N=32768, about 32 MiB and tens of ms per hash) in production; tests lower it. */
  readonly passwordScryptLog2N: number;
  readonly sessionTtlSeconds: number;
  readonly sessionCookieSecure: boolean;
  /** Reads an `X-Cookie` header as the Cookie header (for Swagger UI's "try it out"); off in production. */
  readonly enableXCookieHeader: boolean;
  /** Every Redis key starts with it, so several deployments (or test files) can share one Redis. */
  readonly redisKeyPrefix: string;
  readonly staffTokenTtlSeconds: number;
  readonly staffTokenCacheSeconds: number;
  readonly accountCacheSeconds: number;
  readonly authThrottleWindowSeconds: number;
  readonly authThrottleIpLimit: number;
  readonly authThrottleAccountLimit: number;
  readonly authThrottleAccountCeiling: number;
  /** Numbers of the per-channel, per-currency system accounts of the ledger (created on first use). */
  readonly loyaltySaleAccountNumber: string;
  readonly loyaltyBankAccountNumber: string;
  readonly loyaltyRefundAccountNumber: string;

  /** The environment it was read from: feature libs parse their own settings from it at boot (see `fromEnv`). */
  readonly env: Env;

  constructor(env: Env) {
    this.env = env;
    this.host = readString(env, 'HOST', '127.0.0.1', 255);
    this.storefrontPort = readInt(env, 'STOREFRONT_PORT', 3000, 0, 65535);
    this.omnitronPort = readInt(env, 'OMNITRON_PORT', 3001, 0, 65535);
    this.databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
    // At least 2: a checkout completion holds one connection for its lock while its work needs another.
    this.databasePoolSize = readInt(env, 'DATABASE_POOL_SIZE', 10, 2, 200);
    this.databaseStatementTimeoutMs = readInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 100, 600_000);
    // A received request may wait for a pooled connection (up to 5 s) and then run until the statement timeout:
    // by default the drain lets it finish, so a money operation that has started is answered, not cut.
    this.shutdownGraceMs = readInt(env, 'SHUTDOWN_GRACE_MS', this.databaseStatementTimeoutMs + 5_000, 0, 3_600_000);
    this.migrationsRun = readBool(env, 'MIGRATIONS_RUN', true);
    this.redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
    this.defaultLanguage = readEnum(env, 'DEFAULT_LANGUAGE', 'tr', SUPPORTED_LANGUAGES);
    this.logLevel = readEnum(env, 'LOG_LEVEL', 'info', LOG_LEVELS);
    this.bodyLimitBytes = readInt(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576);
    this.requestTimeoutMs = readInt(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000);
    // Off by default in production: the documents and Swagger UI are a map of the API for whoever finds them.
    this.swaggerEnabled = readBool(env, 'SWAGGER_ENABLED', env.NODE_ENV !== 'production');
    const metricsToken = readString(env, 'METRICS_TOKEN', '', 256);
    if (metricsToken !== '' && metricsToken.length < 16) {
      throw new ConfigError('METRICS_TOKEN', 'shorter than 16 characters (unset it to leave /metrics open)');
    }
    this.metricsToken = metricsToken === '' ? undefined : metricsToken;
    this.trustProxy = readBool(env, 'TRUST_PROXY', false);
    this.embeddedPostgresDir = resolve(readString(env, 'EMBEDDED_POSTGRES_DIR', '.data/postgres'));
    this.embeddedPostgresPort = readInt(env, 'EMBEDDED_POSTGRES_PORT', 54329, 1024, 65535);
    this.storefrontChannelId = readInt(env, 'STOREFRONT_CHANNEL_ID', 1, 1, INT4_MAX);
    this.passwordScryptLog2N = readInt(env, 'PASSWORD_SCRYPT_LOG2_N', 15, 10, 20);
    this.sessionTtlSeconds = readInt(env, 'SESSION_TTL_SECONDS', 14 * 86_400, 300, 365 * 86_400);
    this.sessionCookieSecure = readBool(env, 'SESSION_COOKIE_SECURE', true);
    this.enableXCookieHeader = readBool(env, 'ENABLE_X_COOKIE_HEADER', false);
    this.redisKeyPrefix = readString(env, 'REDIS_KEY_PREFIX', 'loyalty:', 64);
    this.staffTokenTtlSeconds = readInt(env, 'STAFF_TOKEN_TTL_SECONDS', 30 * 86_400, 60, 365 * 86_400);
    // How stale another instance's view of a revoked token or deactivated staff user may be; 0 reads every time.
    this.staffTokenCacheSeconds = readInt(env, 'STAFF_TOKEN_CACHE_SECONDS', 5, 0, 60);
    // How long an instance may answer a back-office account read from memory when no change message reached it (a
    // lost message); every change is announced over Redis, so this bounds only that case. No Redis: never cached.
    this.accountCacheSeconds = readInt(env, 'ACCOUNT_CACHE_SECONDS', 2, 0, 60);
    // One human mistake costs up to 4 failures (the storefront client retries a failed request 4 times in all):
    // 20 per account and client address per 15 minutes leaves room for several mistakes, yet stops guessing.
    this.authThrottleWindowSeconds = readInt(env, 'AUTH_THROTTLE_WINDOW_SECONDS', 900, 1, 86_400);
    this.authThrottleIpLimit = readInt(env, 'AUTH_THROTTLE_IP_LIMIT', 300, 1, 100_000);
    this.authThrottleAccountLimit = readInt(env, 'AUTH_THROTTLE_ACCOUNT_LIMIT', 20, 1, 10_000);
    // Failures of one account from every address: strangers at other addresses lock the owner out only past this,
    // while guessing spread over many addresses (or forged X-Forwarded-For values) still stops here.
    this.authThrottleAccountCeiling = readInt(env, 'AUTH_THROTTLE_ACCOUNT_CEILING', 200, 1, 1_000_000);
    if (this.authThrottleAccountCeiling < this.authThrottleAccountLimit) {
      throw new ConfigError('AUTH_THROTTLE_ACCOUNT_CEILING', 'must be at least AUTH_THROTTLE_ACCOUNT_LIMIT');
    }
    // 64 characters: the width of loyalty_account.number.
    this.loyaltySaleAccountNumber = readString(
      env,
      'LOYALTY_SALE_ACCOUNT_UUID',
      '71c07edb-d531-49f1-aec6-b26a971104e4',
      64,
    );
    this.loyaltyBankAccountNumber = readString(env, 'LOYALTY_BANK_ACCOUNT_UUID', 'Bank', 64);
    this.loyaltyRefundAccountNumber = readString(
      env,
      'LOYALTY_REFUND_ACCOUNT_UUID',
      'ae73f88d-0fea-42d6-a695-36217b9b091b',
      64,
    );
    // Two system accounts sharing a number would be one row: SALE money would silently mix with BANK money.
    const systemNumbers = [
      this.loyaltySaleAccountNumber,
      this.loyaltyBankAccountNumber,
      this.loyaltyRefundAccountNumber,
    ];
    if (new Set(systemNumbers).size !== systemNumbers.length) {
      throw new ConfigError('LOYALTY_BANK_ACCOUNT_UUID', 'the SALE, BANK and REFUND account numbers must differ');
    }
  }

  /** A copy with some settings replaced; used by the launcher and by tests. */
  with(overrides: Partial<Record<keyof AppConfig, unknown>>): AppConfig {
    return Object.assign(Object.create(AppConfig.prototype) as AppConfig, this, overrides);
  }

  static fromEnv(env: Env = process.env): AppConfig {
    return new AppConfig(env);
  }
}
