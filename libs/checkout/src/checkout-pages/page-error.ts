import { dynamicFieldMessage, type FieldMessage, type MessageKey, type MessageRef } from '@app/common';

/**
 * A page's validation problem, still untranslated: answered with HTTP 200 and `errors`, as the storefront client
 * requires (checkout-envelope.ts translates it). Either messages per field, or one message for the whole page.
 */
export class PageError extends Error {
  private constructor(
    readonly fields: Readonly<Record<string, readonly FieldMessage[]>>,
    readonly nonField?: FieldMessage,
  ) {
    super('checkout page error');
  }

  static field(field: string, ...[key, args]: MessageRef): PageError {
    return new PageError({ [field]: [dynamicFieldMessage(key, args)] });
  }

  static fields(fields: Readonly<Record<string, readonly FieldMessage[]>>): PageError {
    return new PageError(fields);
  }

  static nonField(...[key, args]: MessageRef): PageError {
    return new PageError({}, dynamicFieldMessage(key, args));
  }

  /** One message, known only at run time (a refused payment's), for the whole page. */
  static nonFieldOf(message: FieldMessage): PageError {
    return new PageError({}, message);
  }

  /** The message key of a one-message error, for callers that react to a particular problem. */
  get key(): MessageKey | undefined {
    return this.nonField?.key;
  }
}
