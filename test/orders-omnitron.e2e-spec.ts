import { type OrderStatus } from '@app/checkout';
import { DynamicSettingsService } from '@app/settings';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newChannel, newCustomer, newOrder, newOrderRow, newStaff, newUserRow } from './helpers/fixtures';

const LANG = { 'Accept-Language': 'en' };

describe('back-office orders', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let token: string;
  let otherChannelId: number;
  let counter = 0;

  const call = (path: string, channel: number = 1, auth = true) =>
    omnitron.http.get(`/api/v1/remote/${channel}/orders/${path}`, {
      ...LANG,
      ...(auth ? { Authorization: `Token ${token}` } : {}),
    });

  /** An order stored directly, for the filters; placing real ones is the storefront's part. */
  /** Each one's total is larger than the last one's (for the ordering by total). */
  const storeOrder = (userId: number, created: string, status: OrderStatus = 'completed', channel = 1) =>
    newOrderRow(omnitron, {
      owner: userId,
      total: `${++counter}.00`,
      status,
      channel,
      items: [],
      paidBy: 'card',
      created,
    });

  const pks = (body: { results: { pk: number }[] }) => body.results.map((o) => o.pk);

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    await storefront.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
    otherChannelId = (await newChannel(omnitron)).id;
    token = (await newStaff(omnitron, { channels: [1] })).token;
  });
  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  it('shows a placed order with its owner and its loyalty payment', async () => {
    const { customer: c, token: thanks } = await newOrder(storefront, { price: '15.00', quantity: 2, credit: '40.00' });
    const completed = (await c.get(`/orders/completed/${thanks}/?format=json`)).body.order;

    const list = await call(`?number=${completed.number}`);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(list.body.results[0]).toEqual({
      ...completed,
      user: c.userId,
      user_email: c.email,
      modified_date: expect.any(String),
      cancel_reason: null,
      cancel_detail: null,
    });

    const detail = await call(`${completed.pk}/`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ pk: completed.pk, number: completed.number, amount: '30.00', user: c.userId });
    expect(detail.body.loyalty_transactions).toEqual([
      {
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        kind: 'order_payment',
        amount: '30.00',
        earning_shortfall: '0.00',
        currency: 'try',
        created_date: expect.any(String),
      },
    ]);
    const stored = await omnitron.http.get(
      `/api/v1/remote/1/loyalty-transactions/${detail.body.loyalty_transactions[0].uuid}/`,
      {
        ...LANG,
        Authorization: `Token ${token}`,
      },
    );
    expect(stored.body).toMatchObject({ order_number: completed.number, kind: 'order_payment' });
  });

  it('filters by user, e-mail, status and created range; orders and pages', async () => {
    const a = await newCustomer(storefront);
    const b = await newCustomer(storefront);
    const a1 = await storeOrder(a.userId, '2025-06-01T00:00:00Z');
    const a2 = await storeOrder(a.userId, '2025-06-03T00:00:00Z', 'cancelled');
    const a3 = await storeOrder(a.userId, '2025-06-02T00:00:00Z');
    const b1 = await storeOrder(b.userId, '2025-06-04T00:00:00Z', 'pending');

    expect(pks((await call(`?user=${a.userId}`)).body)).toEqual([a2.id, a3.id, a1.id]);
    expect(pks((await call(`?user=${a.userId}&ordering=created_date`)).body)).toEqual([a1.id, a3.id, a2.id]);
    expect(pks((await call(`?user=${a.userId}&ordering=-total_amount`)).body)).toEqual([a3.id, a2.id, a1.id]);
    expect(pks((await call(`?user_email=${encodeURIComponent(b.email.toUpperCase())}`)).body)).toEqual([b1.id]);
    expect(pks((await call(`?user=${a.userId}&status=cancelled`)).body)).toEqual([a2.id]);
    const range = await call('?created_date__gte=2025-06-02T00:00:00Z&created_date__lt=2025-06-04T00:00:00Z');
    expect(pks(range.body)).toEqual([a2.id, a3.id]);

    const page = await call(`?user=${a.userId}&page_size=2&page=2`);
    expect(page.body).toMatchObject({ count: 3, next: null });
    expect(page.body.previous).toContain('page=1');
    expect(pks(page.body)).toEqual([a1.id]);

    expect((await call('?page_size=1000')).status).toBe(200);
  });

  it('refuses a created date that is an ISO week (2026-W01), on created_date__gte', async () => {
    const weekDate = await call('?created_date__gte=2026-W01');
    expect(weekDate.status).toBe(400);
    expect(weekDate.body.field_errors).toHaveProperty('created_date__gte');
  });

  it.each([
    ['an unknown status', '?status=lost'],
    ['an ordering by a field it does not order by', '?ordering=user'],
    ['a created date that is not a date', '?created_date__gte=yesterday'],
  ])('refuses %s (%s)', async (_rule, query) => {
    expect((await call(query)).status).toBe(400);
  });

  describe('keeps channels apart and needs a staff token', () => {
    let mine: { id: number };
    beforeAll(async () => {
      const c = await newCustomer(storefront);
      mine = await storeOrder(c.userId, '2025-07-01T00:00:00Z');
    });

    it('answers 401 to an order and to the list without a staff token', async () => {
      expect((await call(`${mine.id}/`, 1, false)).status).toBe(401);
      expect((await call('', 1, false)).status).toBe(401);
    });

    it('answers 403 to the list and to an order through a channel the staff user may not use', async () => {
      expect((await call('', otherChannelId)).status).toBe(403);
      expect((await call(`${mine.id}/`, otherChannelId)).status).toBe(403);
    });

    it('answers 404 for an unknown id (999999999) and one that is not a number (abc)', async () => {
      expect((await call('999999999/')).status).toBe(404);
      expect((await call('abc/')).status).toBe(404);
    });

    // An order of another channel is not found from this one, and is not listed.
    it('neither finds nor lists an order of another channel', async () => {
      const otherUser = await newUserRow(omnitron, { channel: otherChannelId });
      const foreign = await storeOrder(otherUser.id, '2025-07-02T00:00:00Z', 'completed', otherChannelId);
      expect((await call(`${foreign.id}/`)).status).toBe(404);
      expect((await call(`?number=${foreign.number}`)).body.count).toBe(0);
    });
  });
});
