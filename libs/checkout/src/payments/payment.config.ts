import { ConfigError, type Env, readEnum, readString } from '@app/common';
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
