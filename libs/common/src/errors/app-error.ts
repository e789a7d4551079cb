import type { MessageArgs } from '../i18n/translator';
import type { MessageArgsOf, MessageArgsParam, MessageKey, PlaceholderOf, PlainMessageKey } from '../i18n/messages';

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
 * The message of an error as constructor arguments: a key, then its arguments when its text has placeholders. A
 * call that leaves out an argument, names a wrong one or passes a key that is not a message does not compile.
 */
export type MessageRef =
  | [key: PlainMessageKey]
  | { [K in Exclude<MessageKey, PlainMessageKey>]: [key: K, args: MessageArgsOf<K>] }[Exclude<
      MessageKey,
      PlainMessageKey
    >];

/**
 * Base of every error a service may throw on purpose. It carries an HTTP-neutral kind, a stable `code`
 * for clients and an untranslated message; each app's exception filter turns it into the contract's
 * `{detail, code, field_errors}` body in the caller's language. Services never build HTTP responses.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  readonly messageKey: MessageKey;
  readonly args: MessageArgs;
  /** Set by ValidationFailedError: the messages per request field. */
  readonly fieldErrors?: FieldErrors;

  constructor(
    readonly code: string,
    ...[messageKey, args]: MessageRef
  ) {
    super(`${code}: ${messageKey}`);
    this.name = new.target.name;
    this.messageKey = messageKey;
    this.args = args ?? {};
  }
}

const DEFAULT_VALIDATION_MESSAGE: MessageRef = ['errors.validation_failed'];

export class ValidationFailedError extends AppError {
  readonly status = 400;
  override readonly fieldErrors: FieldErrors;

  /** The whole error's message is `errors.validation_failed` unless a key (and its arguments) is given. */
  constructor(fieldErrors: FieldErrors, code = 'invalid', ...message: MessageRef | []) {
    super(code, ...(message.length === 0 ? DEFAULT_VALIDATION_MESSAGE : message));
    this.fieldErrors = fieldErrors;
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
  constructor(code = 'not_authenticated', key: PlainMessageKey = 'errors.not_authenticated') {
    super(code, key);
  }
}

export class PermissionDeniedError extends AppError {
  readonly status = 403;
  constructor(code = 'permission_denied', key: PlainMessageKey = 'errors.permission_denied') {
    super(code, key);
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  constructor(code = 'not_found', key: PlainMessageKey = 'errors.not_found') {
    super(code, key);
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
    ...message: MessageRef
  ) {
    super(code, ...message);
  }
}

/** Over an abuse limit (login failures, failed posts of a signed-in user): the contract's `throttled`. */
export class TooManyAttemptsError extends RetryLaterError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds, 'throttled', 'errors.throttled', { seconds: retryAfterSeconds });
  }
}
