import { DataSource } from 'typeorm';
import { ChannelService } from '@app/identity';
import { ProductService } from '@app/checkout';
import { csrfToken, PASSWORD, register } from './helpers/identity';
import type { HttpResponse } from './helpers/http';
import { startTestApp, type TestApp } from './helpers/test-app';
import * as basketLines from '../libs/checkout/src/repositories/basket-lines.repository';

const LANG = { 'Accept-Language': 'en' };
const BASKET = '/baskets/basket/';

/** A browser as the storefront's proxy drives it: it keeps the session cookie it is given and the CSRF pair. */
async function shopper(app: TestApp, session?: string) {
  const token = await csrfToken(app.http);
  let sessionId = session;
  const headers = (extra: Record<string, string>) => ({
    ...LANG,
    Cookie: `${sessionId ? `osessionid=${sessionId}; ` : ''}csrftoken=${token}`,
    'X-CSRFToken': token,
    ...extra,
  });
  const keep = <T>(response: HttpResponse<T>): HttpResponse<T> => {
    const match = /osessionid=(\w*)/.exec(response.headers.get('set-cookie') ?? '');
    if (match?.[1]) sessionId = match[1];
    return response;
  };
  return {
    get session() {
      return sessionId;
    },
    get: async (extra: Record<string, string> = {}) => keep(await app.http.get(BASKET, headers(extra))),
    send: async (method: string, json: unknown, extra: Record<string, string> = {}) =>
      keep(await app.http.request(BASKET, { method, json, headers: headers(extra) })),
    /** DELETE and PATCH without options: the body `{}` as text/plain, as the client sends them. */
    bare: async (method: 'DELETE' | 'PATCH') =>
      keep(
        await app.http.request(BASKET, {
          method,
          raw: '{}',
          contentType: 'text/plain;charset=UTF-8',
          headers: headers({}),
        }),
      ),
  };
}

describe('storefront basket', () => {
  let app: TestApp;
  let products: ProductService;
  const pk: Record<string, number> = {};
  let counter = 0;

  const product = async (stock: number, prices = [{ currency: 'try', amount: '10.00' }], active = true) => {
    const channel = await app.app.get(ChannelService).find(1);
    const created = await products.create(channel!, {
      sku: `B-${process.pid}-${++counter}`,
      name: 'Basket product',
      prices,
      stock,
      active,
    });
    return created.pk;
  };

  beforeAll(async () => {
    app = await startTestApp('storefront');
    products = app.app.get(ProductService);
    const rows = await app.app
      .get(DataSource)
      .query<{ id: number; sku: string }[]>(`SELECT id, sku FROM product WHERE channel_id = 1 AND sku LIKE 'DEMO-%'`);
    for (const row of rows) pk[row.sku] = row.id;
  });
  afterAll(() => app.close());

  it('answers an empty basket without creating a session, then prices lines as strings for an anonymous shopper', async () => {
    const me = await shopper(app);
    const empty = await me.get();
    expect(empty.status).toBe(200);
    expect(empty.headers.get('set-cookie')).toBeNull();
    expect(empty.body).toEqual({
      basket: {
        pk: null,
        basketitem_set: [],
        total_amount: '0.00',
        total_quantity: 0,
        total_product_amount: '0.00',
        total_discount_amount: '0.00',
        currency_type: 'try',
      },
    });

    const added = await me.send('POST', { product: pk['DEMO-TSHIRT'], quantity: 2, attributes: {} });
    expect(added.status).toBe(200);
    expect(me.session).toMatch(/^\w+$/);
    expect(added.body.basket).toMatchObject({
      pk: expect.any(Number),
      basketitem_set: [
        {
          id: expect.any(Number),
          product: { pk: pk['DEMO-TSHIRT'], sku: 'DEMO-TSHIRT' },
          quantity: 2,
          unit_price: '250.00',
          price: '250.00',
          total_amount: '500.00',
          currency_type: 'try',
        },
      ],
      total_amount: '500.00',
      total_quantity: 2,
      total_product_amount: '500.00',
      total_discount_amount: '0.00',
    });
    await me.send('POST', { product: pk['DEMO-TSHIRT'], quantity: 1 });
    const more = await me.send('POST', { product: pk['DEMO-MUG'] });
    expect(more.body.basket.total_quantity).toBe(4);
    expect(more.body.basket.total_amount).toBe('870.00');
    expect((await me.get()).body).toEqual(more.body);

    const set = await me.send('PUT', { product: pk['DEMO-TSHIRT'], quantity: 1, attributes: {} });
    expect(set.body.basket.total_amount).toBe('370.00');
    const removed = await me.send('PUT', { product: pk['DEMO-MUG'], quantity: 0 });
    expect(removed.body.basket.basketitem_set).toHaveLength(1);
    // A retried removal changes nothing.
    expect((await me.send('PUT', { product: pk['DEMO-MUG'], quantity: 0 })).status).toBe(200);

    const patched = await me.bare('PATCH');
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual(removed.body);
    const cleared = await me.bare('DELETE');
    expect(cleared.status).toBe(200);
    expect(cleared.body.basket).toMatchObject({ pk: added.body.basket.pk, basketitem_set: [], total_amount: '0.00' });
  });

  it('prices in the request currency and refuses a product without a price in it', async () => {
    const me = await shopper(app);
    const usd = { 'x-currency': 'usd' };
    const added = await me.send('POST', { product: pk['DEMO-TSHIRT'], quantity: 3 }, usd);
    expect(added.body.basket).toMatchObject({ total_amount: '37.50', currency_type: 'usd' });
    expect(added.body.basket.basketitem_set[0]).toMatchObject({ unit_price: '12.50', currency_type: 'usd' });
    const cap = await me.send('POST', { product: pk['DEMO-CAP'] }, usd);
    expect(cap.status).toBe(400);
    expect(cap.body.field_errors).toEqual({ product: ['This product has no price in USD.'] });
    // The literal "undefined" the client sends without a currency cookie means the channel default.
    const lira = await me.get({ 'x-currency': 'undefined' });
    expect(lira.body.basket).toMatchObject({ total_amount: '750.00', currency_type: 'try' });
  });

  describe('refuses what no basket line may be', () => {
    it('refuses an unknown product: "This product is not available."', async () => {
      const me = await shopper(app);
      expect((await me.send('POST', { product: 99_999_999 })).body.field_errors).toEqual({
        product: ['This product is not available.'],
      });
    });

    it('refuses an inactive product', async () => {
      const me = await shopper(app);
      const inactive = await product(5, undefined, false);
      expect((await me.send('POST', { product: inactive })).status).toBe(400);
    });

    it('refuses more than the stock (3 of a product with 2 in stock)', async () => {
      const me = await shopper(app);
      const two = await product(2);
      const over = await me.send('POST', { product: two, quantity: 3 });
      expect(over.status).toBe(400);
      expect(over.body.field_errors).toEqual({ quantity: ['Only 2 of this product are in stock.'] });
    });

    it('refuses a quantity of 0 in a POST', async () => {
      const me = await shopper(app);
      const two = await product(2);
      expect((await me.send('POST', { product: two, quantity: 0 })).status).toBe(400);
    });

    it('refuses a quantity above 100 (101)', async () => {
      const me = await shopper(app);
      const two = await product(2);
      expect((await me.send('POST', { product: two, quantity: 101 })).body.field_errors).toEqual({
        quantity: ['Ensure this value is less than or equal to 100.'],
      });
    });

    it('refuses a product id that is not a number ("abc")', async () => {
      const me = await shopper(app);
      expect((await me.send('POST', { product: 'abc' })).status).toBe(400);
    });

    it('refuses a PUT without a quantity: "This field is required."', async () => {
      const me = await shopper(app);
      const two = await product(2);
      expect((await me.send('PUT', { product: two })).body.field_errors).toEqual({
        quantity: ['This field is required.'],
      });
    });

    it('refuses more than 100 of one product in the basket (1 more on 100)', async () => {
      const me = await shopper(app);
      const big = await product(1000);
      await me.send('PUT', { product: big, quantity: 100 });
      expect((await me.send('POST', { product: big })).body.field_errors).toEqual({
        quantity: ['At most 100 of one product can be in the basket.'],
      });
    });

    it('refuses line attributes too large (a 2,000-character note)', async () => {
      const me = await shopper(app);
      const big = await product(1000);
      const refused = await me.send('POST', { product: big, attributes: { note: 'x'.repeat(2000) } });
      expect({ status: refused.status, fields: Object.keys(refused.body.field_errors ?? {}) }).toEqual({
        status: 400,
        fields: ['attributes'],
      });
    });

    it('refuses a 51st product: at most 50 different products in a basket', async () => {
      const me = await shopper(app);
      for (let i = 0; i < 50; i++) expect((await me.send('POST', { product: await product(1) })).status).toBe(200);
      const fiftyFirst = await me.send('POST', { product: await product(1) });
      expect(fiftyFirst.body.field_errors).toEqual({ product: ['The basket can hold at most 50 different products.'] });
      expect((await me.get()).body.basket.basketitem_set).toHaveLength(50);
    });
  });

  it('never lets concurrent adds pass the stock', async () => {
    const me = await shopper(app);
    const five = await product(5);
    await me.send('POST', { product: five });
    const results = await Promise.all(Array.from({ length: 8 }, () => me.send('POST', { product: five })));
    expect(results.every((r) => r.status === 200 || r.status === 400)).toBe(true);
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect((await me.get()).body.basket.basketitem_set[0].quantity).toBe(5);
  });

  it('keeps an anonymous basket through sign-in and shows a user’s basket to that user only', async () => {
    const { email } = await register(app.http);
    const me = await shopper(app);
    await me.send('POST', { product: pk['DEMO-MUG'], quantity: 2 });
    const login = await app.http.request('/users/login/', {
      json: { email, password: PASSWORD },
      headers: { ...LANG, Cookie: `osessionid=${me.session}` },
    });
    expect(login.status).toBe(200);
    const signedIn = await shopper(app, /osessionid=(\w+)/.exec(login.headers.get('set-cookie') ?? '')![1]);
    const mine = await signedIn.get();
    expect(mine.body.basket).toMatchObject({ total_amount: '240.00', total_quantity: 2 });

    // The same user on another device finds it too; the old anonymous session no longer does.
    const again = await app.http.request('/users/login/', { json: { email, password: PASSWORD }, headers: LANG });
    const other = await shopper(app, /osessionid=(\w+)/.exec(again.headers.get('set-cookie') ?? '')![1]);
    expect((await other.get()).body.basket.pk).toBe(mine.body.basket.pk);
    expect((await (await shopper(app, me.session)).get()).body.basket.pk).toBeNull();

    const stranger = await shopper(app, (await register(app.http)).session);
    expect((await stranger.get()).body.basket.pk).toBeNull();
  });

  it('needs the CSRF pair to change the basket', async () => {
    const response = await app.http.request(BASKET, { json: { product: pk['DEMO-MUG'] }, headers: LANG });
    expect(response.status).toBe(403);
  });

  it('writes the line into a new basket when its basket went away meanwhile (a sign-in merged it), never a 500', async () => {
    const me = await shopper(app);
    const first = await product(10);
    expect((await me.send('POST', { product: first, quantity: 1 })).status).toBe(200);
    const db = app.app.get(DataSource);
    const write = basketLines.setBasketLine;
    let gone = 0;
    // Between finding the basket and writing the line, the basket is deleted: every time (409), or once (retried).
    const spy = jest.spyOn(basketLines, 'setBasketLine').mockImplementation(async (dataSource, change) => {
      if (gone < limit) {
        gone++;
        await db.query('DELETE FROM basket_item WHERE basket_id = $1', [change.basketId]);
        await db.query('DELETE FROM basket WHERE id = $1', [change.basketId]);
      }
      return write(dataSource, change);
    });
    let limit = 1;
    try {
      const added = await me.send('POST', { product: first, quantity: 2 });
      expect(added.status).toBe(200);
      expect(added.body.basket.basketitem_set).toEqual([expect.objectContaining({ quantity: 2 })]);
      limit = 99;
      const refused = await me.send('POST', { product: first, quantity: 1 });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'basket_changed' });
    } finally {
      spy.mockRestore();
    }
  });
});
