import { ConflictError, DomainError, type MinorUnits, NotFoundError } from '@app/common';

/*
 * The checkout lib's errors. What a request got wrong (a product's prices or sku, a basket line, the addresses) and
 * an order that is not there are typed domain errors in the lib's own terms: which currency, which limit, what is
 * left in stock, with no status, message or request field name. Each app's edge table
 * (`apps/<app>/src/edge-errors.ts`) says how it answers them. The checkout pages answer their own form's problems
 * as PageError (checkout-pages/page-error.ts, the page's envelope); the not-found and not-in-review refusals at the
 * end name no field and stay AppErrors (a kind, a code and a message key).
 */

export abstract class CheckoutError extends DomainError {
  static readonly abstractBase = true;
}

/** A product's price is in a currency the channel does not sell in. */
export class PriceCurrencyNotSoldError extends CheckoutError {
  readonly reason = 'price_currency_not_sold';
  constructor(readonly currency: string) {
    super(`the channel does not sell in ${currency}`);
  }
}

/** A product's prices give the currency twice. */
export class PriceCurrencyRepeatedError extends CheckoutError {
  readonly reason = 'price_currency_repeated';
  constructor(readonly currency: string) {
    super(`two prices in ${currency}`);
  }
}

/** A product's price in `currency` is not an amount, or not above zero. */
export class PriceAmountInvalidError extends CheckoutError {
  readonly reason = 'price_amount_invalid';
  constructor(readonly currency: string) {
    super(`the price in ${currency} is not a positive amount`);
  }
}

/** A product's price in `currency` is above the highest unit price (`max_minor`, PRICE_MAX_MINOR). */
export class PriceTooHighError extends CheckoutError {
  readonly reason = 'price_too_high';
  constructor(
    readonly currency: string,
    readonly max_minor: MinorUnits,
  ) {
    super(`the price in ${currency} is above the highest unit price`);
  }
}

/** Another product of the channel has the sku. */
export class SkuTakenError extends CheckoutError {
  readonly reason = 'sku_taken';
}

/** A basket change names a product but not its quantity. */
export class LineQuantityMissingError extends CheckoutError {
  readonly reason = 'line_quantity_missing';
}

/** A basket line's quantity is above the most a line holds (`max`, LINE_QUANTITY_MAX). */
export class LineQuantityTooLargeError extends CheckoutError {
  readonly reason = 'line_quantity_too_large';
  constructor(readonly max: number) {
    super();
  }
}

/** A basket line's attributes take more than `max_bytes` bytes as JSON (ATTRIBUTES_BYTES_MAX). */
export class LineAttributesTooLargeError extends CheckoutError {
  readonly reason = 'line_attributes_too_large';
  constructor(readonly max_bytes: number) {
    super();
  }
}

/** A new line would take the basket past `max` lines (BASKET_LINES_MAX). */
export class BasketLinesExceededError extends CheckoutError {
  readonly reason = 'basket_lines_exceeded';
  constructor(readonly max: number) {
    super();
  }
}

/** The basket line asked for more than the stock holds; `available` is what can be had. */
export class InsufficientStockError extends CheckoutError {
  readonly reason = 'insufficient_stock';
  constructor(readonly available: number) {
    super(`only ${available} in stock`);
  }
}

/** Unknown, inactive, or of another channel: the storefront cannot tell these apart, and need not. */
export class ProductUnavailableError extends CheckoutError {
  readonly reason = 'product_unavailable';
}

/** The product has no price in the session's currency, so it cannot be sold in it. */
export class PriceMissingError extends CheckoutError {
  readonly reason = 'price_missing';
  constructor(readonly currency: string) {
    super(`no price in ${currency}`);
  }
}

/** The caller's basket kept going away (sign-ins merging it) while a line was written: the caller may try again. */
export class BasketChangedError extends CheckoutError {
  readonly reason = 'basket_changed';
}

/** The customer already has `max` addresses (ADDRESSES_MAX): a new one is refused. */
export class AddressesExceededError extends CheckoutError {
  readonly reason = 'addresses_exceeded';
  constructor(readonly max: number) {
    super();
  }
}

/** No order by that id: of the customer (their history), or of the channel (the back office). */
export class CheckoutOrderNotFoundError extends NotFoundError {
  constructor() {
    super('order_not_found', 'checkout.order_not_found');
  }
}

export class ProductNotFoundError extends NotFoundError {
  constructor() {
    super('product_not_found', 'checkout.product_not_found');
  }
}

export class AddressNotFoundError extends NotFoundError {
  constructor() {
    super('address_not_found', 'checkout.address_not_found');
  }
}

/** Only an order in `payment_review` is settled by staff. */
export class OrderNotInReviewError extends ConflictError {
  constructor() {
    super('order_not_in_review', 'checkout.order_not_in_review');
  }
}
