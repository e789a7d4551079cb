import { ConflictError, NotFoundError, ValidationFailedError } from '@app/common';

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

/** The basket line asked for more than the stock holds; `available` is what can be had. */
export class InsufficientStockError extends ValidationFailedError {
  constructor(available: number) {
    super({ quantity: [{ key: 'checkout.insufficient_stock', args: { available } }] }, 'insufficient_stock');
  }
}

/** Unknown, inactive, or of another channel: the storefront cannot tell these apart, and need not. */
export class ProductUnavailableError extends ValidationFailedError {
  constructor() {
    super({ product: [{ key: 'checkout.product_unavailable' }] }, 'product_unavailable');
  }
}

/** The product has no price in the session's currency, so it cannot be sold in it. */
export class PriceMissingError extends ValidationFailedError {
  constructor(currency: string) {
    super(
      { product: [{ key: 'checkout.price_missing', args: { currency: currency.toUpperCase() } }] },
      'price_missing',
    );
  }
}

/** Only an order in `payment_review` is settled by staff. */
export class OrderNotInReviewError extends ConflictError {
  constructor() {
    super('order_not_in_review', 'checkout.order_not_in_review');
  }
}
