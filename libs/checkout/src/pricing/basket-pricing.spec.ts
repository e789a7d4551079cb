import { type BasketLine, isEmptyBasket, priceBasket } from './basket-pricing';
import { toBasketEnvelope } from '../checkout.mapper';

function line(id: number, unitPrice: bigint | null, quantity: number, active = true): BasketLine {
  return {
    id,
    productId: 100 + id,
    sku: `SKU-${id}`,
    name: `P${id}`,
    active,
    stock: 50,
    quantity,
    attributes: {},
    unitPrice,
  };
}

describe('priceBasket', () => {
  it('sums line totals in minor units, exactly', () => {
    // 3 x 0.10 + 7 x 1,234,567,890,123.45: no float or string step could keep both exact.
    const priced = priceBasket(5, 'try', [line(1, 10n, 3), line(2, 123456789012345n, 7)]);
    expect(priced.lines.map((l) => l.lineTotal)).toEqual([30n, 864197523086415n]);
    expect(priced.total).toBe(864197523086445n);
    expect(priced.quantity).toBe(10);
    expect(isEmptyBasket(priced)).toBe(false);
  });

  it('leaves out a withdrawn product and a product without a price in the currency', () => {
    const priced = priceBasket(5, 'usd', [line(1, 500n, 1), line(2, 700n, 2, false), line(3, null, 4)]);
    expect(priced.lines.map((l) => l.id)).toEqual([1]);
    expect(priced.total).toBe(500n);
    expect(priced.quantity).toBe(1);
  });

  it('is empty without a basket or without a sellable line', () => {
    expect(isEmptyBasket(priceBasket(null, 'try', []))).toBe(true);
    expect(isEmptyBasket(priceBasket(5, 'try', [line(1, null, 1)]))).toBe(true);
    expect(priceBasket(null, 'try', []).total).toBe(0n);
  });

  it('is formatted only in the answer, as the contract’s basket', () => {
    const body = toBasketEnvelope(priceBasket(9, 'try', [line(1, 1999n, 2)]));
    expect(body.basket).toMatchObject({
      pk: 9,
      total_amount: '39.98',
      total_quantity: 2,
      total_product_amount: '39.98',
      total_discount_amount: '0.00',
      currency_type: 'try',
    });
    expect(body.basket.basketitem_set[0]).toMatchObject({
      id: 1,
      product: { pk: 101, sku: 'SKU-1', price: '19.99', currency_type: 'try' },
      quantity: 2,
      unit_price: '19.99',
      total_amount: '39.98',
    });
  });
});
