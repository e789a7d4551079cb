import { DataSource } from 'typeorm';
import { readTogether } from '@app/database';
import type { StorefrontRequestContext } from '@app/identity';
import { OrderEntity } from '../libs/checkout/src/entities/order.entity';
import { InsufficientStockError } from '../libs/checkout/src/errors';
import { STOREFRONT_EDGE_ERRORS } from '../apps/storefront/src/edge-errors';
import { createPendingOrder, type PaymentSplit } from '../libs/checkout/src/placement/create-order';
import { priceBasket, type PricedBasket } from '../libs/checkout/src/pricing/basket-pricing';
import { callerBasketPart } from '../libs/checkout/src/repositories/basket-lines.repository';
import { OrderStateRepository } from '../libs/checkout/src/repositories/order-state.repository';
import { createProduct, type StorefrontCustomer } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer } from './helpers/fixtures';

/*
 * checkout_place_order (migration 1765070000000): the order is placed only from the basket as it was priced; a
 * basket changed in between, or too little stock, writes nothing.
 */
describe('placing an order from a priced basket in one statement', () => {
  let app: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { REDIS_URL: '' } });
    db = app.app.get(DataSource);
  });

  afterAll(() => app.close());

  const split: PaymentSplit = {
    loyaltyAmount: 2000n,
    cardAmount: 0n,
    interestAmount: 0n,
    installmentCount: 1,
    cardLast4: null,
    cardType: null,
    paymentOption: 'loyalty_money',
  };
  const address = { pk: 1 } as never;

  async function pricedBasketOf(c: StorefrontCustomer): Promise<PricedBasket> {
    const { basket } = await readTogether(db, {
      basket: callerBasketPart({ channelId: 1, namedId: null, userId: c.userId, currency: 'try' }),
    });
    return priceBasket(basket!.basketId, 'try', basket!.lines);
  }

  function contextOf(c: StorefrontCustomer): StorefrontRequestContext {
    return { channel: { id: 1 }, currency: 'try', session: { id: `session-${c.userId}` } } as never;
  }

  async function state(product: number, c: StorefrontCustomer) {
    const [row] = await db.query<{ stock: number; lines: number; orders: number }[]>(
      `SELECT (SELECT stock FROM product WHERE id = $1) AS stock,
              (SELECT count(*)::int FROM basket_item bi JOIN basket b ON b.id = bi.basket_id WHERE b.user_id = $2) AS lines,
              (SELECT count(*)::int FROM orders WHERE user_id = $2) AS orders`,
      [product, c.userId],
    );
    return row;
  }

  async function basketWith(quantity: number, stock = 5) {
    const c = await newCustomer(app);
    const product = await createProduct(app, '10.00', stock);
    expect((await c.json('POST', '/baskets/basket/', { product, quantity })).status).toBe(200);
    return { c, product, basket: await pricedBasketOf(c) };
  }

  const place = (c: StorefrontCustomer, basket: PricedBasket) =>
    createPendingOrder(new OrderStateRepository(db), contextOf(c), c.userId, basket, 0n, split, {
      shipping: address,
      billing: address,
    });

  it('places the priced basket: the order as TypeORM loads it, the stock taken, the basket emptied', async () => {
    const { c, product, basket } = await basketWith(2);
    const order = await place(c, basket);
    expect(order).toMatchObject({ status: 'pending', totalAmount: 2000n, loyaltyAmount: 2000n, userId: c.userId });
    expect(order!.items).toEqual([
      expect.objectContaining({ product, quantity: 2, unit_price: '10.00', total_amount: '20.00' }),
    ]);
    expect(order).toEqual(await db.getRepository(OrderEntity).findOneBy({ id: order!.id }));
    expect(await state(product, c)).toEqual({ stock: 3, lines: 0, orders: 1 });
  });

  it('places nothing when the basket changed after it was priced: a price, a quantity, a withdrawn product', async () => {
    const changes = [
      (product: number) => db.query(`UPDATE product_price SET amount = 11 WHERE product_id = $1`, [product]),
      (product: number) => db.query(`UPDATE basket_item SET quantity = 1 WHERE product_id = $1`, [product]),
      (product: number) => db.query(`UPDATE product SET active = false WHERE id = $1`, [product]),
    ];
    for (const change of changes) {
      const { c, product, basket } = await basketWith(2);
      await change(product);
      const before = await state(product, c);
      expect(await place(c, basket)).toBeNull();
      expect(await state(product, c)).toEqual(before);
      expect(before.orders).toBe(0);
    }
  });

  it('refuses too little stock with the stock there is, and writes nothing', async () => {
    const { c, product, basket } = await basketWith(2, 5);
    await db.query(`UPDATE product SET stock = 1 WHERE id = $1`, [product]);
    const refused = await place(c, basket).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InsufficientStockError);
    expect(refused).toMatchObject({ available: 1 });
    // As the storefront answers it (the checkout page's envelope shows these field errors).
    expect(STOREFRONT_EDGE_ERRORS.toHttp(refused as InsufficientStockError)?.fieldErrors).toEqual({
      quantity: [{ key: 'checkout.insufficient_stock', args: { available: 1 } }],
    });
    expect(await state(product, c)).toEqual({ stock: 1, lines: 1, orders: 0 });
  });
});
