/*
 * One validator per kind of value a request carries (issue 22): ids, amounts, currencies, phone numbers. Each is
 * the class-validator checks, the class-transformer reading of text and the OpenAPI keywords of that kind, so that
 * a DTO says what a field is (`@IsPk(...)`) instead of repeating how to check it.
 *
 * The DTOs they replaced did not all check the same kind the same way, and their differences are on the wire (the
 * field messages the storefront client and the back office show); each difference is an option here, named for what
 * it does, so that no field's answer changed when the copies were removed.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { INT4_MAX } from '../http/input-limits';
import type { PlainMessageKey } from '../i18n/messages';
import { AMOUNT_MAX_MINOR, formatAmount, parseAmount } from '../money/money';
import { ToInteger } from './form-values';
import { message } from './validation';

/** Largest primary key: every table's pk is an int4 column. */
export const PK_MAX = INT4_MAX;

/** A currency code as the ledger keeps it: three lower-case letters (`try`). */
export const CURRENCY_CODE_PATTERN = /^[a-z]{3}$/;
/** A currency code as a client may send it where case is not folded first: `TRY` or `try`. */
export const CURRENCY_CODE_INPUT_PATTERN = /^[A-Za-z]{3}$/;

/**
 * How a pk sent as text becomes a number (JSON bodies may send numbers, query strings and forms only text):
 * - `number`: class-transformer's `Number()`, as query filters read it: "12" and " 12 " are 12, but so are
 *   "1e1" (10), "0x10" (16) and `true` (1); "" is 0, refused by the minimum.
 * - `integer`: whole-number text only ("12", " 12 ", "-3"), as the back office's form-encoded bodies send it;
 *   other text stays text and is refused.
 * - `choice`: a choice of the storefront's address form: 1 to 10 digits, blanks around them; "" is no choice (null).
 */
export type PkTextReading = 'number' | 'integer' | 'choice';

/**
 * Which refusal a value failing several checks gets. The pipe stops at the first failing check (stopAtFirstError)
 * and the stacks IsPk replaced ran theirs in different orders, so "abc" was "not an integer" in one field and "at
 * most 2147483647" or "at least 1" in others. Kept per field, so the wire did not change; `integer` is the order
 * for a new field.
 */
export type PkFirstCheck = 'integer' | 'maximum' | 'minimum';

export interface PkOptions {
  text: PkTextReading;
  /** Default `integer`. */
  firstCheck?: PkFirstCheck;
  /** One message for every refusal (the address form's "select a valid choice"); else one per check. */
  message?: PlainMessageKey;
}

const CHOICE_TEXT = /^\s*[0-9]{1,10}\s*$/;

/** A pk of the address form as the form sends it (a string) or a number; "" is no choice. */
function readChoice({ value }: { value: unknown }): unknown {
  if (typeof value === 'string' && CHOICE_TEXT.test(value)) return Number(value);
  if (value === '') return null;
  return value;
}

function readPkText(text: PkTextReading): PropertyDecorator {
  switch (text) {
    case 'number':
      return Type(() => Number);
    case 'integer':
      return ToInteger();
    case 'choice':
      return Transform(readChoice);
  }
}

/**
 * A primary key: a whole number from 1 to PK_MAX. Documents `minimum` and `maximum`, except for a `choice`, which
 * the address form's schema types as a string.
 */
export function IsPk(options: PkOptions): PropertyDecorator {
  const one = options.message === undefined ? undefined : { message: message(options.message) };
  const integer = IsInt(one ?? { message: message('validation.not_integer') });
  const minimum = Min(1, one ?? { message: message('validation.min', { min: 1 }) });
  const maximum = Max(PK_MAX, one ?? { message: message('validation.max', { max: PK_MAX }) });
  const checks: Record<PkFirstCheck, PropertyDecorator[]> = {
    integer: [integer, minimum, maximum],
    maximum: [maximum, minimum, integer],
    minimum: [minimum, integer, maximum],
  };
  return applyDecorators(
    ...(options.text === 'choice' ? [] : [ApiProperty({ minimum: 1, maximum: PK_MAX })]),
    readPkText(options.text),
    // applyDecorators registers in this order, and class-validator checks in the order registered.
    ...checks[options.firstCheck ?? 'integer'],
  );
}

/**
 * A money field sent as a decimal string ("20", "20.00") or a JSON number (20): at most two decimals, no exponent,
 * within AMOUNT_MAX_MINOR, and (unless `allowNonPositive`) greater than zero. The service parses it again with
 * parseAmount into bigint minor units: this decorator only gives the HTTP layer its per-field message early.
 */
export function IsAmount(options: { allowNonPositive?: boolean } = {}, validation?: ValidationOptions) {
  return (target: object, propertyName: string): void => {
    registerDecorator({
      name: 'isAmount',
      target: target.constructor,
      propertyName,
      options: validation,
      validator: {
        validate(value: unknown): boolean {
          const parsed = parseAmount(value);
          return parsed.ok && (options.allowNonPositive === true || parsed.minor > 0n);
        },
        defaultMessage(args: ValidationArguments): string {
          const parsed = parseAmount(args.value);
          if (parsed.ok) return message('validation.amount_not_positive');
          switch (parsed.problem) {
            case 'decimals':
              return message('validation.amount_decimals');
            case 'too_large':
              return message('validation.amount_too_large', { max: formatAmount(AMOUNT_MAX_MINOR) });
            case 'invalid':
              return message('validation.amount_invalid');
          }
        },
      },
    });
  };
}

export interface CurrencyOptions {
  /**
   * Trim and lower-case the code before checking it, as product prices store it; without, only three letters as
   * sent pass (" try" is refused), as the ledger takes it.
   */
  lowerCase?: boolean;
  /** The ledger says `ledger.currency_invalid` (default); product prices say `validation.invalid`. */
  message?: 'ledger.currency_invalid' | 'validation.invalid';
}

/**
 * A three-letter currency code (`try`, `EUR`). Documents its `pattern`. Not named `IsCurrency`: that is
 * class-validator's check of an amount ("$1.00"), and the swagger plugin documents any decorator of that name as
 * `format: currency`.
 */
export function IsCurrencyCode(options: CurrencyOptions = {}): PropertyDecorator {
  const pattern = options.lowerCase === true ? CURRENCY_CODE_PATTERN : CURRENCY_CODE_INPUT_PATTERN;
  return applyDecorators(
    ApiProperty({ pattern: pattern.source }),
    ...(options.lowerCase === true
      ? [Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))]
      : []),
    // The pattern is checked first: anything that is not such a code, a number included, gets its message.
    Matches(pattern, { message: message(options.message ?? 'ledger.currency_invalid') }),
    IsString(),
  );
}

/**
 * The phone numbers the APIs take. Three rules, not one: each is what its callers send and its consumer accepts,
 * and each field kept its message.
 * - `user`: a customer's profile phone, as the storefront's profile form sends it (blanks, dashes, brackets).
 * - `loyalty_card`: the loyalty provider's own rule (its API spec: an optional "+", then 9 to 15 digits).
 * - `address`: the address form's phone.
 */
export const PHONE_RULES = {
  user: { pattern: /^\+?[0-9][0-9 ()-]{4,31}$/, lengthMax: 32, message: 'validation.invalid' },
  loyalty_card: { pattern: /^\+?1?\d{9,15}$/, lengthMax: 60, message: 'loyalty_card.invalid_phone' },
  address: { pattern: /^\+?[0-9 ()-]{7,31}$/, lengthMax: 32, message: 'loyalty_card.invalid_phone' },
} as const satisfies Record<string, { pattern: RegExp; lengthMax: number; message: PlainMessageKey }>;

export type PhoneKind = keyof typeof PHONE_RULES;

/** A phone number of the given kind, trimmed. Documents its `pattern` and `maxLength`. */
export function IsPhone(kind: PhoneKind): PropertyDecorator {
  const rule = PHONE_RULES[kind];
  return applyDecorators(
    ApiProperty({ pattern: rule.pattern.source, maxLength: rule.lengthMax }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    // The pattern first, as the stacks it replaced checked it: any refusal, a number or a long text too, is its
    // message. The length and type checks behind it are the limits' second line.
    Matches(rule.pattern, { message: message(rule.message) }),
    MaxLength(rule.lengthMax, { message: message('validation.max_length', { max: rule.lengthMax }) }),
    IsString(),
  );
}
