import type { MessageArgs } from '../i18n/translator';
import type { MessageArgsOf, MessageArgsParam, MessageKey, PlaceholderOf } from '../i18n/messages';

/**
 * One message of a field, still untranslated: the key and its placeholders. A literal is checked at compile time
 * (a message with placeholders needs `args` naming every one); `forField` and `message()` check theirs too.
 */
export type FieldMessage = {
  readonly [K in MessageKey]: [PlaceholderOf<K>] extends [never]
    ? { readonly key: K; readonly args?: MessageArgs }
    : { readonly key: K; readonly args: MessageArgsOf<K> };
}[MessageKey];

/** A field message whose key is known only at run time (decoded from a validator's message): unchecked. */
export function dynamicFieldMessage(key: MessageKey, args?: MessageArgs): FieldMessage {
  return (args === undefined ? { key } : { key, args }) as FieldMessage;
}

export type FieldErrors = Readonly<Record<string, readonly FieldMessage[]>>;

/**
 * Base of every error a service may throw on purpose. It carries an HTTP-neutral kind, a stable `code`
 * for clients and an untranslated message; each app's exception filter turns it into the contract's
 * `{detail, code, field_errors}` body in the caller's language. Services never build HTTP responses.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;

  constructor(
    readonly code: string,
    readonly messageKey: MessageKey,
    readonly args: MessageArgs = {},
    readonly fieldErrors?: FieldErrors,
  ) {
    super(`${code}: ${messageKey}`);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends AppError {
  readonly status = 400;
  constructor(
    fieldErrors: FieldErrors,
    code = 'invalid',
    messageKey: MessageKey = 'errors.validation_failed',
    args: MessageArgs = {},
  ) {
    super(code, messageKey, args, fieldErrors);
  }

  /** The usual case: one field, one message. */
  static forField<K extends MessageKey>(field: string, key: K, ...args: MessageArgsParam<K>): ValidationFailedError {
    return new ValidationFailedError({ [field]: [dynamicFieldMessage(key, args[0])] });
  }
}

export class BadRequestError extends AppError {
  readonly status = 400;
}

/** A body that is not valid JSON (or JSON sent as text/plain). */
export class MalformedBodyError extends AppError {
  readonly status = 400;
  constructor() {
    super('parse_error', 'errors.malformed_body');
  }
}

/** A JSON body nested deeper than any form or DTO of the APIs: refused before it is parsed, let alone transformed. */
export class BodyTooDeepError extends AppError {
  readonly status = 400;
  constructor(max: number) {
    super('body_too_deep', 'errors.body_too_deep', { max });
  }
}

export class NotAuthenticatedError extends AppError {
  readonly status = 401;
  constructor(code = 'not_authenticated', key: MessageKey = 'errors.not_authenticated') {
    super(code, key);
  }
}

export class PermissionDeniedError extends AppError {
  readonly status = 403;
  constructor(code = 'permission_denied', key: MessageKey = 'errors.permission_denied') {
    super(code, key);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(code = 'not_found', key: MessageKey = 'errors.not_found', args?: MessageArgs) {
    super(code, key, args);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
}

/** A 429 that says when to come back: the exception filter sends `retryAfterSeconds` as `Retry-After`. */
export abstract class RetryLaterError extends AppError {
  readonly status = 429;

  constructor(
    readonly retryAfterSeconds: number,
    code: string,
    messageKey: MessageKey,
    args: MessageArgs = {},
  ) {
    super(code, messageKey, args);
  }
}

/** Over an abuse limit (login failures, failed posts of a signed-in user): the contract's `throttled`. */
export class TooManyAttemptsError extends RetryLaterError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, 'throttled', 'errors.throttled', { seconds: retryAfterSeconds });
  }
}
