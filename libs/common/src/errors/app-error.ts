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
 * What kind of refusal an error is, in the caller's terms, not HTTP's: the input is wrong, the caller is not known
 * or not allowed, the thing is not there, it clashes with its current state, a dependency is down, or the caller
 * must wait. Which HTTP status each kind is answered with is the edge's choice: one table, `HTTP_STATUS_OF_KIND`
 * (error-renderer.ts).
 */
export type ErrorKind =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'unavailable' | 'retry_later';

/**
 * Base of every error a service may throw on purpose. It carries its kind (no HTTP status), a stable `code`
 * for clients and an untranslated message; each app's exception filter turns it into the contract's
 * `{detail, code, field_errors}` body in the caller's language. Services never build HTTP responses.
 */
export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
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
  readonly kind = 'invalid';
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
  readonly kind = 'invalid';
}

/** A body that is not valid JSON (or JSON sent as text/plain). */
export class MalformedBodyError extends AppError {
  readonly kind = 'invalid';
  constructor() {
    super('parse_error', 'errors.malformed_body');
  }
}

/** A JSON body nested deeper than any form or DTO of the APIs: refused before it is parsed, let alone transformed. */
export class BodyTooDeepError extends AppError {
  readonly kind = 'invalid';
  constructor(max: number) {
    super('body_too_deep', 'errors.body_too_deep', { max });
  }
}

export class NotAuthenticatedError extends AppError {
  readonly kind = 'unauthenticated';
  constructor(code = 'not_authenticated', key: PlainMessageKey = 'errors.not_authenticated') {
    super(code, key);
  }
}

export class PermissionDeniedError extends AppError {
  readonly kind = 'forbidden';
  constructor(code = 'permission_denied', key: PlainMessageKey = 'errors.permission_denied') {
    super(code, key);
  }
}

export class NotFoundError extends AppError {
  readonly kind = 'not_found';
  constructor(code = 'not_found', key: PlainMessageKey = 'errors.not_found') {
    super(code, key);
  }
}

export class ConflictError extends AppError {
  readonly kind = 'conflict';
}

export class ServiceUnavailableError extends AppError {
  readonly kind = 'unavailable';
}

/** A refusal that says when to come back: the exception filter sends `retryAfterSeconds` as `Retry-After`. */
export abstract class RetryLaterError extends AppError {
  readonly kind = 'retry_later';

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
