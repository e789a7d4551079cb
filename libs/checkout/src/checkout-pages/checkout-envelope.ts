import { Injectable } from '@nestjs/common';
import { AppError, ErrorRenderer, type FieldMessage, httpStatusOf, Translator } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { CheckoutPageContextDto, CheckoutResponseDto } from '../dtos/checkout.dto';
import { type CheckoutSnapshot, CheckoutSources } from './checkout-snapshot';
import { PageError } from './page-error';
import { renderPreOrder } from './pre-order';

const TEMPLATE_NAME = 'orders/checkout.html';

/**
 * The checkout's HTTP 200 envelope, as the storefront client requires: `pre_order`, the page contexts, and a
 * page's validation problems as `errors` (translated here, in the caller's language) rather than a 400. Anything
 * else (a 5xx) is the app's error as usual.
 */
@Injectable()
export class CheckoutEnvelope {
  constructor(
    private readonly sources: CheckoutSources,
    private readonly translator: Translator,
    private readonly renderer: ErrorRenderer,
  ) {}

  async answer(
    ctx: StorefrontRequestContext,
    page: (snapshot: CheckoutSnapshot) => Promise<CheckoutPageContextDto[]>,
  ): Promise<CheckoutResponseDto> {
    const snapshot = this.sources.snapshot(ctx);
    let contextList: CheckoutPageContextDto[] = [];
    let errors: Record<string, unknown> | null = null;
    try {
      contextList = await page(snapshot);
    } catch (thrown) {
      // A lib's domain error (a refused store-credit payment) as the app's edge table answers it.
      const error = this.renderer.toAppError(thrown);
      if (error instanceof PageError) errors = this.fromPageError(ctx, error);
      else if (error instanceof AppError && httpStatusOf(error) < 500) errors = this.fromAppError(ctx, error);
      else throw error;
    }
    return {
      pre_order: await renderPreOrder(snapshot),
      context_list: contextList,
      template_name: TEMPLATE_NAME,
      errors,
    };
  }

  private fromPageError(ctx: StorefrontRequestContext, error: PageError): Record<string, unknown> {
    if (error.nonField) return { non_field_errors: this.translate(ctx, error.nonField) };
    return this.fields(ctx, error.fields);
  }

  private fromAppError(ctx: StorefrontRequestContext, error: AppError): Record<string, unknown> {
    if (!error.fieldErrors) {
      return { non_field_errors: this.translator.translate(error.messageKey, ctx.language, error.args) };
    }
    return this.fields(ctx, error.fieldErrors);
  }

  private fields(
    ctx: StorefrontRequestContext,
    fields: Readonly<Record<string, readonly FieldMessage[]>>,
  ): Record<string, string[]> {
    return Object.fromEntries(
      Object.entries(fields).map(([field, messages]) => [field, messages.map((m) => this.translate(ctx, m))]),
    );
  }

  private translate(ctx: StorefrontRequestContext, message: FieldMessage): string {
    return this.translator.translate(message.key, ctx.language, message.args);
  }
}
