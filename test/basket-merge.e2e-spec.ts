import { DataSource } from 'typeorm';
import { csrfToken, PASSWORD, register } from './helpers/identity';
import { createProduct } from './helpers/checkout';
import type { HttpResponse } from './helpers/http';
import { startTestApp, type TestApp } from './helpers/test-app';

const LANG = { 'Accept-Language': 'en' };
const BASKET = '/baskets/basket/';

interface Line {
  product: { pk: number };
  quantity: number;
}

describe('basket merge at sign-in', () => {
  let app: TestApp;

  /** A browser: it keeps the session cookie it is given, and the CSRF pair. */
  const browser = async (session?: string) => {
    const token = await csrfToken(app.http);
    let sessionId = session;
    const headers = () => ({
      ...LANG,
      Cookie: `${sessionId ? `osessionid=${sessionId}; ` : ''}csrftoken=${token}`,
      'X-CSRFToken': token,
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
      add: async (product: number, quantity: number) => {
        const response = keep(await app.http.request(BASKET, { json: { product, quantity }, headers: headers() }));
        expect(response.status).toBe(200);
        return response;
      },
      basket: async () => keep(await app.http.get(BASKET, headers())),
      login: async (email: string) => {
        const response = keep(
          await app.http.request('/users/login/', { json: { email, password: PASSWORD }, headers: headers() }),
        );
        expect(response.status).toBe(200);
        return response;
      },
    };
  };

  const quantities = (response: HttpResponse<any>): Record<number, number> =>
    Object.fromEntries(response.body.basket.basketitem_set.map((l: Line) => [l.product.pk, l.quantity]));

  beforeAll(async () => {
    app = await startTestApp('storefront');
  });
  afterAll(() => app.close());

  it('adds the anonymous lines to the user’s basket, capped by stock, and drops withdrawn products', async () => {
    const { email, session } = await register(app.http);
    const shared = await createProduct(app, '10.00', 6);
    const onlyMine = await createProduct(app, '5.00', 10);
    const onlyAnonymous = await createProduct(app, '7.00', 10);
    const withdrawn = await createProduct(app, '3.00', 10);
    const me = await browser(session);
    await me.add(shared, 4);
    await me.add(onlyMine, 1);
    const mine = await me.basket();

    const anonymous = await browser();
    await anonymous.add(shared, 3);
    await anonymous.add(onlyAnonymous, 2);
    await anonymous.add(withdrawn, 1);
    const anonymousPk: number = (await anonymous.basket()).body.basket.pk;
    await app.app.get(DataSource).query('UPDATE product SET active = false WHERE id = $1', [withdrawn]);

    await anonymous.login(email);
    const merged = await anonymous.basket();
    expect(merged.body.basket.pk).toBe(mine.body.basket.pk);
    // 4 + 3 = 7 units of `shared`, but only 6 are in stock.
    expect(quantities(merged)).toEqual({ [shared]: 6, [onlyMine]: 1, [onlyAnonymous]: 2 });
    expect(merged.body.basket.total_amount).toBe('79.00');
    const left: unknown[] = await app.app.get(DataSource).query('SELECT id FROM basket WHERE id = $1', [anonymousPk]);
    expect(left).toEqual([]);
    // The user's other session sees the same merged basket.
    expect(quantities(await me.basket())).toEqual(quantities(merged));
    const withdrawnLines: unknown[] = await app.app
      .get(DataSource)
      .query('SELECT id FROM basket_item WHERE product_id = $1', [withdrawn]);
    expect(withdrawnLines).toEqual([]);
  });

  it('does not double when the same session signs in again', async () => {
    const { email, session } = await register(app.http);
    const product = await createProduct(app, '10.00', 50);
    await (await browser(session)).add(product, 2);

    const anonymous = await browser();
    await anonymous.add(product, 3);
    await anonymous.login(email);
    expect(quantities(await anonymous.basket())).toEqual({ [product]: 5 });
    await anonymous.login(email);
    expect(quantities(await anonymous.basket())).toEqual({ [product]: 5 });
    // A fresh anonymous session with no basket changes nothing either.
    const empty = await browser();
    await empty.login(email);
    expect(quantities(await empty.basket())).toEqual({ [product]: 5 });
  });

  it('hands the anonymous basket over as it is when the user has none', async () => {
    const { email } = await register(app.http);
    const product = await createProduct(app, '2.50', 5);
    const anonymous = await browser();
    await anonymous.add(product, 2);
    const pk: number = (await anonymous.basket()).body.basket.pk;
    await anonymous.login(email);
    const basket = await anonymous.basket();
    expect(basket.body.basket.pk).toBe(pk);
    expect(quantities(basket)).toEqual({ [product]: 2 });
    const rows: { user_id: number | null }[] = await app.app
      .get(DataSource)
      .query('SELECT user_id FROM basket WHERE id = $1', [pk]);
    expect(rows[0].user_id).not.toBeNull();
  });

  it('caps a merged line at the line limit', async () => {
    const { email, session } = await register(app.http);
    const product = await createProduct(app, '1.00', 1000);
    await (await browser(session)).add(product, 70);
    const anonymous = await browser();
    await anonymous.add(product, 60);
    await anonymous.login(email);
    expect(quantities(await anonymous.basket())).toEqual({ [product]: 100 });
  });
});
