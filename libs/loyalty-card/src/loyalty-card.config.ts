import { ConfigError, type Env, readInt, readJsonObject } from '@app/common';
import type { HttpLoyaltyProviderOptions } from './provider/http-loyalty-provider';

export type LoyaltyProviderKind = 'local' | 'http';
export type SmsProviderKind = 'outbox' | 'http';

/** Settings of the loyalty-card feature, read once at boot from the app's environment. */
export class LoyaltyCardConfig {
  readonly provider: LoyaltyProviderKind;
  /** Present when provider is `http`. */
  readonly http: HttpLoyaltyProviderOptions | undefined;
  /** Also write profile changes to the local user (the spec's `is_sync`). */
  readonly isSync: boolean;
  readonly pointsCacheTtlMs: number;
  readonly sms: { provider: SmsProviderKind; url?: string; timeoutMs: number; apiKey?: string };
  readonly codeTtlMs: number;
  readonly codeAttemptsMax: number;
  readonly resendIntervalMs: number;
  readonly sendsPerHourMax: number;

  constructor(env: Env) {
    const service = readJsonObject(env, 'CUSTOMER_LOYALTY_CARD_SERVICE', { provider: 'local', is_sync: true });
    const provider = service.provider;
    if (provider !== 'local' && provider !== 'http') {
      throw new ConfigError('CUSTOMER_LOYALTY_CARD_SERVICE', 'provider must be "local" or "http"');
    }
    this.provider = provider;
    this.isSync = service.is_sync !== false;
    const options = (service.options ?? {}) as Record<string, unknown>;
    this.http = provider === 'http' ? LoyaltyCardConfig.httpOptions(options) : undefined;
    this.pointsCacheTtlMs = readInt(env, 'LOYALTY_POINTS_CACHE_TTL_MS', 120_000, 0, 86_400_000);
    const sms = readJsonObject(env, 'SMS_SERVICE', { provider: 'outbox' });
    if (sms.provider !== 'outbox' && sms.provider !== 'http') {
      throw new ConfigError('SMS_SERVICE', 'provider must be "outbox" or "http"');
    }
    const smsOptions = (sms.options ?? {}) as Record<string, unknown>;
    if (sms.provider === 'http' && typeof smsOptions.url !== 'string') {
      throw new ConfigError('SMS_SERVICE', 'options.url is required for the http provider');
    }
    this.sms = {
      provider: sms.provider,
      url: typeof smsOptions.url === 'string' ? smsOptions.url : undefined,
      apiKey: typeof smsOptions.api_key === 'string' ? smsOptions.api_key : undefined,
      timeoutMs: LoyaltyCardConfig.bounded(smsOptions.timeout_ms, 3_000, 100, 10_000, 'SMS_SERVICE', 'timeout_ms'),
    };
    this.codeTtlMs = readInt(env, 'SMS_CODE_TTL_MS', 180_000, 1_000, 3_600_000);
    this.codeAttemptsMax = readInt(env, 'SMS_CODE_ATTEMPTS_MAX', 5, 1, 20);
    this.resendIntervalMs = readInt(env, 'SMS_RESEND_INTERVAL_MS', 60_000, 0, 3_600_000);
    this.sendsPerHourMax = readInt(env, 'SMS_SENDS_PER_HOUR_MAX', 5, 1, 100);
  }

  private static httpOptions(options: Record<string, unknown>): HttpLoyaltyProviderOptions {
    const name = 'CUSTOMER_LOYALTY_CARD_SERVICE';
    if (typeof options.base_url !== 'string' || !/^https?:\/\//.test(options.base_url)) {
      throw new ConfigError(name, 'options.base_url must be an http(s) URL for the http provider');
    }
    return {
      baseUrl: options.base_url.endsWith('/') ? options.base_url : `${options.base_url}/`,
      apiKey: typeof options.api_key === 'string' ? options.api_key : undefined,
      timeoutMs: LoyaltyCardConfig.bounded(options.timeout_ms, 3_000, 50, 3_000, name, 'timeout_ms'),
      readRetries: LoyaltyCardConfig.bounded(options.read_retries, 2, 0, 5, name, 'read_retries'),
      retryDelayMs: LoyaltyCardConfig.bounded(options.retry_delay_ms, 100, 0, 2_000, name, 'retry_delay_ms'),
      breakerFailureThreshold: LoyaltyCardConfig.bounded(options.breaker_failures, 5, 1, 100, name, 'breaker_failures'),
      breakerOpenMs: LoyaltyCardConfig.bounded(options.breaker_open_ms, 30_000, 0, 600_000, name, 'breaker_open_ms'),
    };
  }

  private static bounded(value: unknown, fallback: number, min: number, max: number, name: string, field: string) {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `options.${field} must be a whole number from ${min} to ${max}`);
    }
    return value;
  }
}
