import { ConfigError, type Env, readBool, readEnum, readString } from '@app/common';
import { type InstallmentCount, parseInterestPercents } from './card-rules';

export const PAYMENT_GATEWAYS = ['sandbox'] as const;
export type PaymentGatewayKind = (typeof PAYMENT_GATEWAYS)[number];

/** The card payment settings, read and validated once at boot (documented in README.md). */
export class PaymentConfig {
  readonly gateway: PaymentGatewayKind;
  /** Interest per installment count, in basis points. */
  readonly interestBasisPoints: ReadonlyMap<InstallmentCount, bigint>;

  constructor(env: Env) {
    this.gateway = readEnum(env, 'PAYMENT_GATEWAY', 'sandbox', PAYMENT_GATEWAYS);
    // The sandbox approves its test cards without charging anyone: a production shop on it would give goods away.
    if (
      this.gateway === 'sandbox' &&
      env.NODE_ENV === 'production' &&
      !readBool(env, 'PAYMENT_SANDBOX_ALLOWED', false)
    ) {
      throw new ConfigError(
        'PAYMENT_GATEWAY',
        'the sandbox gateway charges no card; with NODE_ENV=production set PAYMENT_SANDBOX_ALLOWED=true to run it anyway (a demo)',
      );
    }
    const text = readString(env, 'INSTALLMENT_INTEREST_PERCENT', '0,3,6', 64);
    const rates = parseInterestPercents(text);
    if (!rates) {
      throw new ConfigError(
        'INSTALLMENT_INTEREST_PERCENT',
        `expected three percents (0-100, up to two decimals) for 1, 3 and 6 installments, got "${text}"`,
      );
    }
    this.interestBasisPoints = rates;
  }
}
