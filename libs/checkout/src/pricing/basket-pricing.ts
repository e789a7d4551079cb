import type { MinorUnits } from '@app/common';

/** A basket line as the database holds it: the product's state now and its price in the request's currency. */
export interface BasketLine {
  readonly id: number;
  readonly productId: number;
  readonly sku: string;
  readonly name: string;
  readonly active: boolean;
  readonly stock: number;
  readonly quantity: number;
  readonly attributes: Record<string, unknown>;
  /** The unit price in the currency asked for; null when the product has none in it. */
  readonly unitPrice: MinorUnits | null;
}

/** A line that can be sold: active, priced, with its line total. */
export interface PricedLine extends BasketLine {
  readonly unitPrice: MinorUnits;
  readonly lineTotal: MinorUnits;
}

/** A basket priced in one currency. Amounts stay minor units (`bigint`) until an answer formats them. */
export interface PricedBasket {
  /** Null when the caller has no basket yet. */
  readonly basketId: number | null;
  readonly currency: string;
  readonly lines: readonly PricedLine[];
  /** Every line as read, sold or not: what an order checks is unchanged when it takes the basket. */
  readonly read: readonly BasketLine[];
  readonly total: MinorUnits;
  readonly quantity: number;
}

/**
 * The one pricing rule of the basket, the checkout pages and order placement: a line is sold at its product's price
 * in the currency, times its quantity. A line whose product was withdrawn or has no price in this currency is left
 * out rather than failing the whole basket (the storefront empties the basket on a currency change).
 */
export function priceBasket(basketId: number | null, currency: string, lines: readonly BasketLine[]): PricedBasket {
  const priced: PricedLine[] = [];
  let total: MinorUnits = 0n;
  let quantity = 0;
  for (const line of lines) {
    if (!line.active || line.unitPrice === null) continue;
    const lineTotal = line.unitPrice * BigInt(line.quantity);
    total += lineTotal;
    quantity += line.quantity;
    priced.push({ ...line, unitPrice: line.unitPrice, lineTotal });
  }
  return { basketId, currency, lines: priced, read: lines, total, quantity };
}

/** The basket with nothing sellable in it (or no basket at all). */
export function isEmptyBasket(basket: PricedBasket): boolean {
  return basket.basketId === null || basket.lines.length === 0;
}
