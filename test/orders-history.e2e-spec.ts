import { DynamicSettingsService } from '@app/settings';
import { type StorefrontCustomer } from './helpers/checkout';
import { newCustomer, newOrder, newOrderRow } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const ORDERS = '/users/orders/';

describe('storefront order history', () => {
  let app: TestApp;

  /** A completed order stored directly (the checkout's own test covers placing one), created at a given time. */
  const storeOrder = (userId: number, created: string, total = '10.00') =>
    newOrderRow(app, { owner: userId, total, status: 'completed', created });

  beforeAll(async () => {
    app = await startTestApp('storefront');
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => app.close());

  it('lists a placed order exactly as its thank-you page shows it', async () => {
    const { customer: c, product, token } = await newOrder(app, { price: '12.50', quantity: 2, credit: '100.00' });

    const completed = await c.get(`/orders/completed/${token}/?format=json`);
    expect(completed.status).toBe(200);
    const list = await c.get(ORDERS);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ count: 1, next: null, previous: null, results: [completed.body.order] });
    expect(list.body.results[0]).toMatchObject({
      amount: '25.00',
      loyalty_amount: '25.00',
      card_amount: '0.00',
      status: 'completed',
      currency: 'try',
      payment_option: { slug: 'loyalty_money', payment_type: 'loyalty_money' },
      orderitem_set: [{ product, quantity: 2, unit_price: '12.50', total_amount: '25.00' }],
    });

    const detail = await c.get(`${ORDERS}${completed.body.order.pk}/`);
    expect(detail.status).toBe(200);
    expect(detail.body).toEqual(completed.body.order);
  });

  it('pages newest first with page and page_size, and bounds page_size', async () => {
    const c = await newCustomer(app);
    const stored = [
      await storeOrder(c.userId, '2026-01-02T00:00:00Z', '2.00'),
      await storeOrder(c.userId, '2026-01-03T00:00:00Z', '3.00'),
      await storeOrder(c.userId, '2026-01-01T00:00:00Z', '1.00'),
    ];
    const first = await c.get(`${ORDERS}?page_size=2`);
    expect(first.body.count).toBe(3);
    expect(first.body.results.map((o: { amount: string }) => o.amount)).toEqual(['3.00', '2.00']);
    expect(first.body.previous).toBeNull();
    expect(first.body.next).toContain('page=2');
    const second = await c.get(`${ORDERS}?page_size=2&page=2`);
    expect(second.body.results.map((o: { pk: number }) => o.pk)).toEqual([stored[2].id]);
    expect(second.body.next).toBeNull();
    expect(second.body.previous).toContain('page=1');

    expect((await c.get(`${ORDERS}?page_size=101`)).status).toBe(200);
    expect((await c.get(`${ORDERS}?page=0`)).status).toBe(400);
  });

  it('shows an order to its owner only: another user’s is 404 to them, and not listed', async () => {
    const owner: StorefrontCustomer = await newCustomer(app);
    const other = await newCustomer(app);
    const order = await storeOrder(owner.userId, '2026-02-01T00:00:00Z');

    expect((await owner.get(`${ORDERS}${order.id}/`)).body).toMatchObject({ pk: order.id, number: order.number });
    const foreign = await other.get(`${ORDERS}${order.id}/`);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'order_not_found' });
    expect((await other.get(ORDERS)).body).toEqual({ count: 0, next: null, previous: null, results: [] });
  });

  it.each([
    ['an unknown id', '999999999'],
    ['an id beyond int4', '99999999999'],
    ['an id that is not a number', 'abc'],
  ])('answers 404 for %s (%s)', async (_what, id) => {
    const owner = await newCustomer(app);
    expect((await owner.get(`${ORDERS}${id}/`)).status).toBe(404);
  });

  it('needs a session: 401 without one', async () => {
    const c = await newCustomer(app);
    const order = await storeOrder(c.userId, '2026-03-01T00:00:00Z');
    const lang = { 'Accept-Language': 'en' };
    expect((await app.http.get(ORDERS, lang)).status).toBe(401);
    expect((await app.http.get(`${ORDERS}${order.id}/`, lang)).status).toBe(401);
  });
});
