import { isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';
import { message } from './validation';

/** Calendar dates and times only: ISO 8601 also allows week and ordinal forms (`2026-W01`) that `Date` cannot read. */
const DATE_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date or date-time filter that the database and `new Date()` both read as the same instant. */
export function isDateTimeText(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    DATE_TIME_PATTERN.test(value) &&
    isISO8601(value, { strict: true }) &&
    !Number.isNaN(Date.parse(value))
  );
}

export function IsDateTimeText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isDateTimeText', validator: { validate: (value: unknown) => isDateTimeText(value) } },
    { message: message('validation.not_date'), ...options },
  );
}
