import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ValidationFailedError } from '../errors/app-error';

/** Shorter than the ledger's own limit (255): a client's retry token is a UUID or similar, never a document. */
export const IDEMPOTENCY_KEY_HEADER_LENGTH_MAX = 128;
const KEY_PATTERN = /^[\x21-\x7e]+$/;
export const IDEMPOTENCY_KEY_FIELD = 'Idempotency-Key';

/** The header's value, validated; undefined when the client sent none (the operation is then not deduplicated). */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? undefined : value;
  if (typeof text !== 'string' || text.length > IDEMPOTENCY_KEY_HEADER_LENGTH_MAX || !KEY_PATTERN.test(text)) {
    throw ValidationFailedError.forField(IDEMPOTENCY_KEY_FIELD, 'validation.idempotency_key_invalid', {
      max: IDEMPOTENCY_KEY_HEADER_LENGTH_MAX,
    });
  }
  return text;
}

/** `Idempotency-Key` of a money-moving request: same key and body -> the first result, nothing moves again. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  parseIdempotencyKey(
    context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers['idempotency-key'],
  ),
);

/** Documents the header on an operation. */
export const ApiIdempotencyKey = (): MethodDecorator =>
  applyDecorators(
    ApiHeader({
      name: IDEMPOTENCY_KEY_FIELD,
      required: false,
      description:
        `A retry token (1-${IDEMPOTENCY_KEY_HEADER_LENGTH_MAX} printable ASCII characters). The same key with the same ` +
        'body returns the first response and moves nothing again; with another body it is a 409.',
      schema: {
        type: 'string',
        maxLength: IDEMPOTENCY_KEY_HEADER_LENGTH_MAX,
        example: '0b6e3c1c-4f7a-4c55-9d0e-5a1f2c3d4e5f',
      },
    }),
  );
