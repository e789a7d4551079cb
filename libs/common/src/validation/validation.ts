import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { dynamicFieldMessage, type FieldMessage, ValidationFailedError } from '../errors/app-error';
import type { MessageArgs } from '../i18n/translator';
import type { MessageArgsParam, MessageKey } from '../i18n/messages';

const ENCODED_PREFIX = 'i18n:';

/**
 * A class-validator `message` that carries a message key and its arguments instead of English text;
 * the exception filter translates it. Use it wherever a constraint needs its limit in the text.
 */
export function message<K extends MessageKey>(key: K, ...rest: MessageArgsParam<K>): string {
  const args: MessageArgs | undefined = rest[0];
  return `${ENCODED_PREFIX}${key}${args ? `|${JSON.stringify(args)}` : ''}`;
}

function decode(text: string): FieldMessage | undefined {
  if (!text.startsWith(ENCODED_PREFIX)) return undefined;
  const body = text.slice(ENCODED_PREFIX.length);
  const bar = body.indexOf('|');
  // Encoded by `message()`, whose parameters are checked at compile time.
  if (bar < 0) return dynamicFieldMessage(body as MessageKey);
  return dynamicFieldMessage(body.slice(0, bar) as MessageKey, JSON.parse(body.slice(bar + 1)) as MessageArgs);
}

/** Built-in class-validator constraints that need no argument in their text. */
const CONSTRAINT_KEYS: Readonly<Record<string, MessageKey>> = {
  isDefined: 'validation.required',
  isNotEmpty: 'validation.required',
  isString: 'validation.not_string',
  isInt: 'validation.not_integer',
  isNumber: 'validation.not_integer',
  isPositive: 'validation.invalid',
  isBoolean: 'validation.not_boolean',
  isEmail: 'validation.not_email',
  isDateString: 'validation.not_date',
  isISO8601: 'validation.not_date',
};

function toFieldMessage(error: ValidationError): FieldMessage {
  const constraints = Object.entries(error.constraints ?? {});
  const encoded = constraints.map(([, text]) => decode(text)).find((m) => m !== undefined);
  // A missing value is reported as missing, whichever type check tripped over it first.
  if ((error.value === undefined || error.value === null) && !encoded?.key.startsWith('validation.required')) {
    return { key: 'validation.required' };
  }
  if (encoded) return encoded;
  const known = constraints.map(([name]) => CONSTRAINT_KEYS[name]).find((k) => k !== undefined);
  return dynamicFieldMessage(known ?? 'validation.invalid');
}

export function toFieldErrors(errors: readonly ValidationError[], prefix = ''): Record<string, FieldMessage[]> {
  const result: Record<string, FieldMessage[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      result[path] = [toFieldMessage(error)];
    }
    if (error.children?.length) Object.assign(result, toFieldErrors(error.children, path));
  }
  return result;
}

/**
 * The one validation pipe of both apps. Unknown body fields are stripped, never an error: the real storefront
 * client sends extras (`formType`, `locale`, ...). Failures become `ValidationFailedError` with per-field messages.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}
