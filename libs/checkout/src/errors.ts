import { BadRequestError, NotFoundError } from '@app/common';

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

/** The basket line asked for more than the stock holds; `available` is what can still be had. */
export class InsufficientStockError extends BadRequestError {
  constructor(available: number) {
    super('insufficient_stock', 'checkout.insufficient_stock', { available });
  }
}
