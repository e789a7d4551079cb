import type { MinorUnits } from '@app/common';

/*
 * The card rules every gateway shares, as pure functions: card number check (Luhn), card type by BIN, expiry,
 * CVV, and the installment maths in exact minor units. Card numbers never leave these functions except as the
 * last four digits.
 */

export const CARD_TYPES = ['visa', 'mastercard', 'amex', 'troy'] as const;
export type CardType = (typeof CARD_TYPES)[number];

export const CARD_TYPE_NAMES: Readonly<Record<CardType, string>> = {
  visa: 'Visa',
  mastercard: 'MasterCard',
  amex: 'American Express',
  troy: 'Troy',
};

/** Installment counts offered; a setting gives each one its interest rate. */
export const INSTALLMENT_COUNTS = [1, 3, 6] as const;
export type InstallmentCount = (typeof INSTALLMENT_COUNTS)[number];

/** Percent rates are held in basis points (1 % = 100): exact, no floating point. */
export const BASIS_POINTS_PER_WHOLE = 10_000n;
/** No installment may cost more than doubling the price: a setting above this is a typo. */
export const INTEREST_BASIS_POINTS_MAX = 10_000n;

/** True when the digits pass the Luhn check (ISO/IEC 7812). Only 12-19 digits are card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The card type by its first digits (the BIN); undefined for a type this shop does not take. */
export function cardTypeOf(digits: string): CardType | undefined {
  if (!/^[0-9]{6,19}$/.test(digits)) return undefined;
  if (digits.startsWith('9792')) return 'troy';
  if (digits.startsWith('34') || digits.startsWith('37')) return 'amex';
  const two = Number(digits.slice(0, 2));
  const four = Number(digits.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (digits.startsWith('4')) return 'visa';
  return undefined;
}

/** Amex prints a 4-digit code on the front; the others a 3-digit one on the back. */
export function cvvValid(cvv: string, type: CardType): boolean {
  return (type === 'amex' ? /^[0-9]{4}$/ : /^[0-9]{3}$/).test(cvv);
}

/**
 * A card is good through the last day of its expiry month (UTC). `month` 1-12; `year` as 2 or 4 digits
 * (2 digits mean 20YY). Years more than 20 ahead are refused as typos.
 */
export function expiryValid(month: string, year: string, now: Date): boolean {
  if (!/^(0?[1-9]|1[0-2])$/.test(month) || !/^([0-9]{2}|[0-9]{4})$/.test(year)) return false;
  const fullYear = year.length === 2 ? 2000 + Number(year) : Number(year);
  const nowYear = now.getUTCFullYear();
  const nowMonth = now.getUTCMonth() + 1;
  if (fullYear > nowYear + 20) return false;
  return fullYear > nowYear || (fullYear === nowYear && Number(month) >= nowMonth);
}

/** Digits only: the client may send spaces or dashes between the groups. */
export function normaliseCardNumber(value: string): string {
  return value.replace(/[\s-]/g, '');
}

/**
 * Parses "0,3,6" (percent per installment count of INSTALLMENT_COUNTS, up to two decimals each) into basis points.
 * Returns undefined when the list is malformed.
 */
export function parseInterestPercents(text: string): Map<InstallmentCount, bigint> | undefined {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== INSTALLMENT_COUNTS.length) return undefined;
  const rates = new Map<InstallmentCount, bigint>();
  for (const [index, part] of parts.entries()) {
    const match = /^([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(part);
    if (!match) return undefined;
    const basisPoints = BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
    if (basisPoints > INTEREST_BASIS_POINTS_MAX) return undefined;
    rates.set(INSTALLMENT_COUNTS[index], basisPoints);
  }
  return rates;
}

/** `amount × rate`, rounded half up to the cent: the customer never pays a fraction of a cent. */
export function percentOf(amount: MinorUnits, basisPoints: bigint): MinorUnits {
  if (amount < 0n || basisPoints < 0n) throw new RangeError('percentOf takes non-negative values');
  return (amount * basisPoints * 2n + BASIS_POINTS_PER_WHOLE) / (2n * BASIS_POINTS_PER_WHOLE);
}

/** `amount × rate`, rounded down to the cent: what the shop gives away never exceeds the rate. */
export function percentOfRoundedDown(amount: MinorUnits, basisPoints: bigint): MinorUnits {
  if (amount < 0n || basisPoints < 0n) throw new RangeError('percentOfRoundedDown takes non-negative values');
  return (amount * basisPoints) / BASIS_POINTS_PER_WHOLE;
}

export interface InstallmentPrice {
  count: InstallmentCount;
  interest: MinorUnits;
  /** What the card is charged: the amount plus interest. */
  total: MinorUnits;
  /** One month's share, rounded half up (shown only; the charge is `total`). */
  monthly: MinorUnits;
}

export function installmentPrice(amount: MinorUnits, count: InstallmentCount, basisPoints: bigint): InstallmentPrice {
  const interest = percentOf(amount, basisPoints);
  const total = amount + interest;
  const n = BigInt(count);
  return { count, interest, total, monthly: (total * 2n + n) / (2n * n) };
}
