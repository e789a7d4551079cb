import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { dynamicFieldMessage, type FieldMessage, NotFoundError, ValidationFailedError } from '../errors/app-error';
import { badTextPaths, INT4_MAX, isBadText } from '../http/input-limits';
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

/** What a DTO property allows beyond its class-validator constraints. */
interface PropertyRules {
  /** Documented `nullable: true`: null is a value of the field (it clears a nullable column). */
  nullable: boolean;
  /** `@IsInt()` without `@Max()`: an id or count stored in an int4 column. */
  int4: boolean;
}

type DtoClass = abstract new (...args: never[]) => unknown;

const rulesCache = new WeakMap<DtoClass, Map<string, PropertyRules>>();

/** The swagger plugin's metadata (`_OPENAPI_METADATA_FACTORY`), from the class and its ancestors. */
function pluginMetadata(dto: DtoClass, property: string): { nullable?: boolean } | undefined {
  for (let c: unknown = dto; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    if (!Object.prototype.hasOwnProperty.call(c, '_OPENAPI_METADATA_FACTORY')) continue;
    const factory = (c as unknown as { _OPENAPI_METADATA_FACTORY: () => Record<string, { nullable?: boolean }> })
      ._OPENAPI_METADATA_FACTORY;
    const found = factory()[property];
    if (found) return found;
  }
  return undefined;
}

function rulesOf(dto: DtoClass, property: string): PropertyRules {
  let rules = rulesCache.get(dto);
  if (!rules) rules = new Map();
  rulesCache.set(dto, rules);
  const cached = rules.get(property);
  if (cached) return cached;
  // The OpenAPI document is written from the same metadata: what it calls nullable is what the pipe accepts as null.
  const decorated = Reflect.getMetadata('swagger/apiModelProperties', dto.prototype as object, property) as
    { nullable?: boolean } | undefined;
  const constraints = getMetadataStorage()
    .getTargetValidationMetadatas(dto as unknown as new () => unknown, '', true, false)
    .filter((m) => m.propertyName === property)
    .map((m) => m.name);
  const found: PropertyRules = {
    nullable: decorated?.nullable === true || pluginMetadata(dto, property)?.nullable === true,
    int4: constraints.includes('isInt') && !constraints.includes('max'),
  };
  rules.set(property, found);
  return found;
}

/**
 * What class-validator lets through but the columns behind the DTOs cannot take: `null` in a field that is not
 * nullable (`@IsOptional()` skips null as it skips a missing field, and the NOT NULL column then fails), and an
 * integer beyond int4 in an `@IsInt()` field without its own maximum (PostgreSQL error 22003). Walks the
 * transformed DTO and its nested DTOs; the body's depth is bounded before parsing.
 */
export function columnProblems(value: unknown, prefix = '', found: Record<string, FieldMessage[]> = {}) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => columnProblems(item, prefix ? `${prefix}.${index}` : String(index), found));
    return found;
  }
  if (value === null || typeof value !== 'object' || value.constructor === Object) return found;
  const dto = value.constructor as DtoClass;
  for (const [property, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${property}` : property;
    const rules = rulesOf(dto, property);
    if (item === null && !rules.nullable) found[path] = [{ key: 'validation.not_null' }];
    else if (rules.int4 && typeof item === 'number' && item > INT4_MAX) {
      found[path] = [{ key: 'validation.max', args: { max: INT4_MAX } }];
    } else if (rules.int4 && typeof item === 'number' && item < -INT4_MAX - 1) {
      found[path] = [{ key: 'validation.min', args: { min: -INT4_MAX - 1 } }];
    } else if (item !== null && typeof item === 'object') columnProblems(item, path, found);
  }
  return found;
}

const INVALID_CHARACTERS: readonly FieldMessage[] = [{ key: 'validation.invalid_characters' }];

/**
 * A NUL byte or an unpaired surrogate anywhere in a body or query value (key or value, however deep) is a field
 * error naming the field, before any validator or query sees it; in a path parameter it names nothing (404). Here
 * rather than per DTO: bodies the handler reads raw (the checkout's form) pass this pipe too.
 */
function refuseBadText(value: unknown, metadata: ArgumentMetadata): void {
  if (metadata.type === 'param') {
    if (typeof value === 'string' && isBadText(value)) throw new NotFoundError();
    return;
  }
  if (metadata.type !== 'body' && metadata.type !== 'query') return;
  const paths = badTextPaths(value, metadata.data ?? '');
  if (paths.length > 0) throw new ValidationFailedError(Object.fromEntries(paths.map((p) => [p, INVALID_CHARACTERS])));
}

/**
 * The one validation pipe of both apps. Unknown body fields are stripped, never an error: the real storefront
 * client sends extras (`formType`, `locale`, ...). Failures become `ValidationFailedError` with per-field messages.
 */
class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    refuseBadText(value, metadata);
    const result: unknown = await super.transform(value, metadata);
    // Only what the caller sent: a custom parameter decorator's value (the request context) is not input.
    if (metadata.type !== 'body' && metadata.type !== 'query') return result;
    const problems = columnProblems(result);
    if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
    return result;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: false,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new ValidationFailedError(toFieldErrors(errors)),
  });
}
