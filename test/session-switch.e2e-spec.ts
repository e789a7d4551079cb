import { DataSource } from 'typeorm';
import { BASKET_SESSION_KEY } from '@app/checkout';
import { SessionService } from '@app/identity';
import { DynamicSettingsService } from '@app/settings';
import {
  addAddress,
  createProduct,
  customerSession,
  placeLoyaltyOrder,
  stepsToPayment,
  type StorefrontCustomer,
} from './helpers/checkout';
import { csrfToken, PASSWORD, register, sessionIdOf } from './helpers/identity';
import { profile, uniquePhone } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

const CH = 1;
const LANG = { 'Accept-Language': 'en' };

/** Each store the sessions can live in; Redis only where the run has one (REDIS_URL). */
const STORES: [string, string][] = [
  ['PostgreSQL', ''],
  ...(process.env.REDIS_URL ? [['Redis', process.env.REDIS_URL] as [string, string]] : []),
];

describe.each(STORES)('a storefront session across users (sessions in %s, two instances)', (_store, redisUrl) => {
  // Two instances on one database and one Redis key space: a sign-in on one, the next request on the other.
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:switch:${process.pid}:${Date.now().toString(36)}:` };
    one = await startTestApp('storefront', { env });
    two = await startTestApp('storefront', { env, databaseUrl: one.config.databaseUrl });
    await one.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(async () => {
    await two.close();
    await one.close();
  });

  const userIdOf = async (email: string): Promise<number> => {
    const rows: { id: number }[] = await one.app
      .get(DataSource)
      .query('SELECT id FROM users WHERE channel_id = $1 AND email_lower = lower($2)', [CH, email]);
    return rows[0].id;
  };

  /** Another customer signs in on `on`'s browser (its cookies), through `app`; the browser keeps the new cookie. */
  const signInOn = async (app: TestApp, on: StorefrontCustomer, email: string): Promise<StorefrontCustomer> => {
    const response = await app.http.request('/users/login/', {
      json: { email, password: PASSWORD },
      headers: on.headers,
    });
    expect(response.status).toBe(200);
    const token = on.headers['X-CSRFToken'];
    return customerSession(one, { session: sessionIdOf(response), token, userId: await userIdOf(email), email });
  };

  const sessionIdIn = (c: StorefrontCustomer): string => /osessionid=(\w+)/.exec(c.headers.Cookie)![1];
  const stored = (c: StorefrontCustomer) => two.app.get(SessionService).load(sessionIdIn(c), CH);

  describe('signing in as another user', () => {
    it('lets the new user’s final post answer no thank-you page of the previous user', async () => {
      const a = await newCustomer(one);
      await fundedAccount(one, { owner: a, balance: '100.00', debitAllowed: true });
      const aToken = await placeLoyaltyOrder(a, await createProduct(one, '30.00'));

      const { email } = await register(one.http);
      const b = await signInOn(two, a, email);
      await fundedAccount(one, { owner: b, balance: '100.00', debitAllowed: true });
      const final = await b.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
      expect(final.status).toBe(200);
      expect(final.body.context_list).toEqual([]);
      expect(final.body.errors).not.toBeNull();
      expect(JSON.stringify(final.body)).not.toContain(aToken.split('-')[0]);

      // B's own checkout on that browser places B's own order.
      const bToken = await placeLoyaltyOrder(b, await createProduct(one, '20.00'));
      const bOrder = await b.get(`/orders/completed/${bToken}/?format=json`);
      expect(bOrder.status).toBe(200);
      expect(bOrder.body.order.amount).toBe('20.00');
      const owners: { user_id: number }[] = await one.app
        .get(DataSource)
        .query('SELECT user_id FROM orders WHERE number = $1', [bToken.split('-')[0]]);
      expect(owners).toEqual([{ user_id: b.userId }]);
    });

    it('starts the new user with a fresh checkout and no SMS confirmation; the previous id is dead', async () => {
      const a = await newCustomer(one);
      const product = await createProduct(one, '15.00');
      expect((await a.json('POST', '/baskets/basket/', { product, quantity: 2 })).status).toBe(200);
      await stepsToPayment(a, await addAddress(a));
      expect((await a.json('POST', '/loyalty-card/add_loyalty_card/', profile(a.email, uniquePhone()))).status).toBe(
        202,
      );
      expect(Object.keys((await stored(a)).data).sort()).toEqual(['basket_pk', 'checkout', 'confirmation_data']);

      const { email } = await register(one.http);
      const b = await signInOn(two, a, email);
      const session = await stored(b);
      expect(session.userId).toBe(b.userId);
      // A's basket, checkout steps and SMS confirmation all belonged to A: nothing of them is left.
      expect(session.data).toEqual({});

      const checkout = await b.get('/orders/checkout/');
      expect(checkout.body.context_list[0].page_name).toBe('DeliveryOptionSelectionPage');
      expect(checkout.body.pre_order).toMatchObject({
        delivery_option: null,
        shipping_address: null,
        shipping_option: null,
        payment_option: null,
        total_amount: '0.00',
      });
      expect((await a.get('/current_user/')).status).toBe(401);
    });

    it('carries over only an anonymous basket the session names, merged into the new user’s basket', async () => {
      const { email, session: bOwn } = await register(one.http);
      const product = await createProduct(one, '4.00');
      const token = await csrfToken(one.http);
      const bElsewhere = customerSession(one, { session: bOwn, token, userId: await userIdOf(email), email });
      expect((await bElsewhere.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);

      // A basket of nobody that A's session still names (a sign-in whose merge hook failed leaves one).
      const anonymous = await one.http.request('/baskets/basket/', {
        json: { product, quantity: 2 },
        headers: { ...LANG, Cookie: `csrftoken=${token}`, 'X-CSRFToken': token },
      });
      expect(anonymous.status).toBe(200);
      const anonymousBasket: number = anonymous.body.basket.pk;
      const a = await newCustomer(one);
      const aSession = await one.app.get(SessionService).load(sessionIdIn(a), CH);
      await one.app.get(SessionService).set(aSession, CH, BASKET_SESSION_KEY, anonymousBasket);

      const b = await signInOn(two, a, email);
      const basket = await b.get('/baskets/basket/');
      expect(basket.body.basket.basketitem_set.map((l: { quantity: number }) => l.quantity)).toEqual([3]);
      expect(Object.keys((await stored(b)).data)).toEqual([BASKET_SESSION_KEY]);
    });

    it('keeps the session’s data when the same user signs in again', async () => {
      const a = await newCustomer(one);
      expect(
        (await a.json('POST', '/baskets/basket/', { product: await createProduct(one, '5.00'), quantity: 1 })).status,
      ).toBe(200);
      await stepsToPayment(a, await addAddress(a));
      const again = await signInOn(two, a, a.email);
      const checkout = await again.get('/orders/checkout/');
      expect(checkout.body.pre_order).toMatchObject({ delivery_option: { pk: 1 }, shipping_option: { pk: 1 } });
      expect(checkout.body.context_list[0].page_name).toBe('PaymentOptionSelectionPage');
    });

    it('is not undone by a write of a request of the previous user that finishes after it, on another instance', async () => {
      const a = await newCustomer(one);
      // A request of A that read its session before B signed in...
      const inFlight = await one.app.get(SessionService).load(sessionIdIn(a), CH);
      expect(inFlight.userId).toBe(a.userId);
      const { email } = await register(one.http);
      await signInOn(two, a, email);
      // ...and writes to it afterwards: the old id must not come back to life, nor be sent as a cookie again.
      await one.app.get(SessionService).set(inFlight, CH, 'checkout', { delivery_option: 1 });
      expect(inFlight.setCookie).toBeUndefined();
      expect((await stored(a)).userId).toBeNull();
      expect((await a.get('/current_user/')).status).toBe(401);
    });
  });

  describe('the thank-you page /orders/completed/<token>/', () => {
    it('answers the order’s owner, from any session and instance, and 404 to everyone else', async () => {
      const a = await newCustomer(one);
      await fundedAccount(one, { owner: a, balance: '100.00', debitAllowed: true });
      const token = await placeLoyaltyOrder(a, await createProduct(one, '12.00'));
      const path = `/orders/completed/${token}/?format=json`;

      expect((await a.get(path)).status).toBe(200);
      const elsewhere = await one.http.request('/users/login/', {
        json: { email: a.email, password: PASSWORD },
        headers: LANG,
      });
      const ownerOnTwo = await two.http.get(path, { ...LANG, Cookie: `osessionid=${sessionIdOf(elsewhere)}` });
      expect(ownerOnTwo.status).toBe(200);
      expect(ownerOnTwo.body.order).toMatchObject({ number: token.split('-')[0], amount: '12.00' });

      const other = await newCustomer(two);
      const csrf = await csrfToken(one.http);
      const anonymous = await one.http.request('/baskets/basket/', {
        json: { product: await createProduct(one, '1.00'), quantity: 1 },
        headers: { ...LANG, Cookie: `csrftoken=${csrf}`, 'X-CSRFToken': csrf },
      });
      const anonymousSession = sessionIdOf(anonymous);
      const refused = [
        await other.get(path),
        await two.http.get(path, { ...LANG, Cookie: `osessionid=${anonymousSession}` }),
        await one.http.get(path, LANG),
      ];
      // The same answer as for a token naming no order: nothing tells that the order exists.
      const [number, mac] = token.split('-');
      const forgedToken = `${number}-${mac[0] === '0' ? '1' : '0'}${mac.slice(1)}`;
      const forged = await other.get(`/orders/completed/${forgedToken}/?format=json`);
      expect(forged.status).toBe(404);
      for (const response of refused) {
        expect(response.status).toBe(404);
        expect(response.body).toEqual({ detail: 'Order not found.', code: 'order_not_found' });
        expect(response.body).toEqual(forged.body);
      }
    });

    it('is 404 to the user who signed in on the session that placed the order', async () => {
      const a = await newCustomer(one);
      await fundedAccount(one, { owner: a, balance: '100.00', debitAllowed: true });
      const token = await placeLoyaltyOrder(a, await createProduct(one, '9.00'));
      const { email } = await register(one.http);
      const b = await signInOn(two, a, email);
      expect((await b.get(`/orders/completed/${token}/?format=json`)).status).toBe(404);
    });
  });
});
