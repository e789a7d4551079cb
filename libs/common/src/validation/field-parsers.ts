/*
 * Parsers of one request field each, for an app's edge turning a DTO into a lib's command: each names the field it
 * refuses (the libs' cores take parsed values and know no field names).
 */
import { ValidationFailedError } from '../errors/app-error';
import { AMOUNT_MAX_MINOR, formatAmount, type MinorUnits, parseAmount } from '../money/money';
import { isPk } from '../http/input-limits';
import { CURRENCY_CODE_PATTERN } from './value-validators';

/** An amount as a client sends it: "20", "20.00" or 20. */
export type AmountInput = string | number;

/** Parses an amount of any sign, or throws ValidationFailedError naming `field` with what is wrong with it. */
function requireAmount(field: string, input: unknown): MinorUnits {
  const parsed = parseAmount(input);
  if (parsed.ok) return parsed.minor;
  switch (parsed.problem) {
    case 'decimals':
      throw ValidationFailedError.forField(field, 'validation.amount_decimals');
    case 'too_large':
      throw ValidationFailedError.forField(field, 'validation.amount_too_large', {
        max: formatAmount(AMOUNT_MAX_MINOR),
      });
    case 'invalid':
      throw ValidationFailedError.forField(field, 'validation.amount_invalid');
  }
}

/** Parses a positive amount or throws ValidationFailedError naming `field`. */
export function requirePositiveAmount(field: string, input: unknown): MinorUnits {
  return requirePositiveMinor(field, typeof input === 'bigint' ? input : requireAmount(field, input));
}

export function requirePositiveMinor(field: string, minor: MinorUnits): MinorUnits {
  if (minor <= 0n) throw ValidationFailedError.forField(field, 'validation.amount_not_positive');
  if (minor > AMOUNT_MAX_MINOR) {
    throw ValidationFailedError.forField(field, 'validation.amount_too_large', { max: formatAmount(AMOUNT_MAX_MINOR) });
  }
  return minor;
}

/** A balance to set: may be zero or negative (for debit_allowed accounts). */
export function requireBalance(field: string, input: unknown): MinorUnits {
  return requireAmount(field, input);
}

export function requireCurrency(field: string, input: unknown): string {
  const value = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (!CURRENCY_CODE_PATTERN.test(value)) throw ValidationFailedError.forField(field, 'ledger.currency_invalid');
  return value;
}

/** A database id sent by a client: a positive integer (number or digit string) up to PK_MAX (isPk). */
export function requireId(field: string, input: unknown): number {
  const value = typeof input === 'string' && /^\d{1,10}$/.test(input.trim()) ? Number(input) : input;
  if (!isPk(value)) throw ValidationFailedError.forField(field, 'validation.not_integer');
  return value;
}

export function optionalText(field: string, input: unknown, maxLength: number): string | null {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'string') throw ValidationFailedError.forField(field, 'validation.not_string');
  const value = input.trim();
  if (value.length === 0) return null;
  if (value.length > maxLength)
    throw ValidationFailedError.forField(field, 'validation.max_length', { max: maxLength });
  return value;
}
