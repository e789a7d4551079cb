import { idFromText, type MinorUnits, parseAmount } from '@app/common';
import { PageError } from './page-error';

/** The longest form value a checkout field takes (an id, an amount, a choice, a card number with spaces). */
export const FIELD_TEXT_LENGTH_MAX = 32;
/** What the confirmation page's `use_three_d` and `agreement` may be when set (the client drops falsy fields). */
const TRUTHY = ['true', '1', 'on'];

/** A form field as one short string; lists (a repeated field) and long values are not accepted. */
export function formText(value: unknown): string | undefined {
  // Form posts carry strings; a JSON post (the guide's own examples) may carry `true` or a number for the same field.
  if (value === true) return 'true';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > FIELD_TEXT_LENGTH_MAX ? undefined : trimmed;
}

export function isTruthy(value: unknown): boolean {
  return TRUTHY.includes(formText(value)?.toLowerCase() ?? '');
}

/** The pk of one of the options on offer. */
export function formChoice(value: unknown, field: string, options: readonly { pk: number }[]): number {
  const text = formText(value);
  if (text === undefined) throw PageError.field(field, 'validation.required');
  const found = options.find((option) => String(option.pk) === text);
  if (!found) throw PageError.field(field, 'validation.invalid');
  return found.pk;
}

/** An id field (an address pk). */
export function formId(value: unknown, field: string): number {
  const text = formText(value);
  if (text === undefined) throw PageError.field(field, 'validation.required');
  const pk = idFromText(text);
  if (pk === null) throw PageError.field(field, 'validation.invalid');
  return pk;
}

/** A positive amount of store credit, in minor units. */
export function formAmount(value: unknown, field: string): MinorUnits {
  const text = formText(value);
  if (text === undefined) throw PageError.field(field, 'validation.required');
  const parsed = parseAmount(text);
  if (!parsed.ok || parsed.minor <= 0n) throw PageError.field(field, 'checkout.loyalty_amount_invalid');
  return parsed.minor;
}
