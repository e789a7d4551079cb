import { randomBytes } from 'node:crypto';
import { CHECKOUT_SESSION_KEY } from '@app/checkout';
import { SESSION_DATA_BYTES_MAX, SessionService, SessionStore, type StoredSession } from '@app/identity';
import { DynamicSettingsService } from '@app/settings';
import {
  addAddress,
  createProduct,
  customerSession,
  stepsToPayment,
  type StorefrontCustomer,
} from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

const CH = 1;
/** Rounds of two posts at once per test: a lost update showed in nearly every round, so 50 leave no doubt. */
const ROUNDS = 50;
/**
 * Rounds go on until all ROUNDS are done or this much time has passed: on a loaded machine fewer rounds run, which
 * still tests the same thing, and the test stays within its own timeout. Fewer than ROUNDS_MIN means something hangs.
 */
const ROUNDS_TIME_MAX_MS = 35_000;
const ROUNDS_MIN = 10;

/** Writes of one session at once in the store test: within what the Redis store promises (16). */
const STORE_WRITES_AT_ONCE = 12;

/** Each store the sessions can live in; Redis only where the run has one (REDIS_URL). */
const STORES: [string, string][] = [
  ['PostgreSQL', ''],
  ...(process.env.REDIS_URL ? [['Redis', process.env.REDIS_URL] as [string, string]] : []),
];

/** Runs `round(i)` up to ROUNDS times, one after the other, within ROUNDS_TIME_MAX_MS and at least ROUNDS_MIN times. */
async function rounds(round: (i: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + ROUNDS_TIME_MAX_MS;
  let done = 0;
  while (done < ROUNDS && (done < ROUNDS_MIN || Date.now() < deadline)) {
    if (Date.now() > deadline)
      throw new Error(`only ${done} rounds within ${ROUNDS_TIME_MAX_MS} ms (at least ${ROUNDS_MIN} needed)`);
    await round(done);
    done += 1;
  }
  if (done < ROUNDS) process.stdout.write(`checkout-state-concurrency: ${done} of ${ROUNDS} rounds in time\n`);
}

describe.each(STORES)('checkout steps posted at the same moment (sessions in %s)', (_store, redisUrl) => {
  // Two instances on one database and one Redis key space, as behind a load balancer.
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `test:state:${process.pid}:${Date.now().toString(36)}:` };
    one = await startTestApp('storefront', { env });
    two = await startTestApp('storefront', { env, databaseUrl: one.config.databaseUrl });
    await one.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  /** A customer with store credit, a basket and a second address, through delivery, address and shipping. */
  const customerAtPayment = async () => {
    const c = await newCustomer(one);
    await fundedAccount(one, { owner: c, balance: '1000.00', debitAllowed: true });
    const added = await c.json('POST', '/baskets/basket/', {
      product: await createProduct(one, '100.00'),
      quantity: 1,
    });
    expect(added.status).toBe(200);
    const addresses = [await addAddress(c), await addAddress(c)];
    await stepsToPayment(c, addresses[0]);
    const session = /osessionid=(\w+)/.exec(c.headers.Cookie)![1];
    const signedIn = { session, token: c.headers['X-CSRFToken'], userId: c.userId, email: c.email };
    return { on: [c, customerSession(two, signedIn)] as const, session, addresses };
  };

  /** Takes fields out of the stored checkout state, as if those steps were never posted (a sequential write). */
  const forget = async (session: string, ...fields: string[]) => {
    const sessions = one.app.get(SessionService);
    const loaded = await sessions.load(session, CH);
    const stored = loaded.get(CHECKOUT_SESSION_KEY) as Record<string, unknown>;
    const state = Object.fromEntries(Object.entries(stored).filter(([field]) => !fields.includes(field)));
    await sessions.set(loaded, CH, CHECKOUT_SESSION_KEY, state);
    expect(loaded.ended).toBe(false);
  };

  const preOrder = async (c: StorefrontCustomer) => {
    const page = await c.get('/orders/checkout/');
    expect(page.status).toBe(200);
    return page.body.pre_order;
  };

  describe.each([
    ['one instance', false],
    ['two instances', true],
  ])('on %s', (_where, split) => {
    it(`keeps both the loyalty money and the payment option, ${ROUNDS} times in a row`, async () => {
      const { on, session } = await customerAtPayment();
      const lost: string[] = [];
      await rounds(async (i) => {
        await forget(session, 'loyalty_money', 'payment_option');
        const amount = `${i + 1}.00`;
        // Alternating, so a post that wrote back what it read would show the previous round's option.
        const option = i % 2 === 0 ? 2 : 1;
        const posts = await Promise.all([
          on[0].page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: amount }),
          on[split ? 1 : 0].page('PaymentOptionSelectionPage', { payment_option: String(option) }),
        ]);
        for (const post of posts) expect([post.status, post.body.errors]).toEqual([200, null]);
        const state = await preOrder(on[i % 2]);
        if (state.loyalty_money !== amount || state.payment_option?.pk !== option) {
          lost.push(`round ${i}: loyalty_money ${state.loyalty_money}, payment_option ${state.payment_option?.pk}`);
        }
      });
      expect(lost).toEqual([]);
    });

    it(`keeps the last address and the shipping option when both are posted at once, ${ROUNDS} times`, async () => {
      const { on, session, addresses } = await customerAtPayment();
      const lost: string[] = [];
      await rounds(async (i) => {
        await forget(session, 'shipping_option');
        const address = String(addresses[(i + 1) % 2]);
        const posts = await Promise.all([
          on[0].page('AddressSelectionPage', { shipping_address: address, billing_address: address }),
          on[split ? 1 : 0].page('ShippingOptionSelectionPage', { shipping_option: '1' }),
        ]);
        for (const post of posts) expect([post.status, post.body.errors]).toEqual([200, null]);
        const state = await preOrder(on[i % 2]);
        const seen = [state.shipping_address?.pk, state.billing_address?.pk, state.shipping_option?.pk];
        if (seen.join() !== [address, address, 1].join()) lost.push(`round ${i}: ${seen.join()}`);
      });
      expect(lost).toEqual([]);
    });
  });

  describe('the session store’s write', () => {
    const HOUR_MS = 3_600_000;
    /** Data no write below touches: an empty list and a number of 17 digits, which a careless re-encoding breaks. */
    const untouched = { basket_pk: 7, lines: [], nested: { codes: [] }, ratio: 1234567890.1234567, note: 'é/"\u2028' };
    const stored = (data: Record<string, unknown>): StoredSession => ({
      channelId: CH,
      userId: 1,
      data,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + HOUR_MS),
    });
    const newSession = async (data: Record<string, unknown>) => {
      const idHash = randomBytes(32).toString('hex');
      await one.app.get(SessionStore).save(idHash, stored(data));
      return idHash;
    };
    const expiresAt = () => new Date(Date.now() + HOUR_MS);

    it(`keeps every field of ${STORE_WRITES_AT_ONCE} merges at once from two instances, and the data it did not touch`, async () => {
      const idHash = await newSession({ ...untouched, checkout: { delivery_option: 1 } });
      const stores = [one.app.get(SessionStore), two.app.get(SessionStore)];
      const written = await Promise.all(
        Array.from({ length: STORE_WRITES_AT_ONCE }, (_, i) =>
          stores[i % 2].write(idHash, { kind: 'merge', key: 'checkout', fields: { [`f${i}`]: i } }, expiresAt(), 1e5),
        ),
      );
      expect(written.map((w) => w.outcome)).toEqual(Array(STORE_WRITES_AT_ONCE).fill('written'));
      const expected = Object.fromEntries(Array.from({ length: STORE_WRITES_AT_ONCE }, (_, i) => [`f${i}`, i]));
      expect((await stores[1].get(idHash))!.data).toEqual({
        ...untouched,
        checkout: { delivery_option: 1, ...expected },
      });
    });

    it('removes fields given as undefined, sets whole keys, and answers the data as stored', async () => {
      const store = one.app.get(SessionStore);
      const idHash = await newSession({ ...untouched });
      await store.write(idHash, { kind: 'merge', key: 'checkout', fields: { a: 1, b: 2 } }, expiresAt(), 1e5);
      const merged = await store.write(
        idHash,
        { kind: 'merge', key: 'checkout', fields: { a: undefined, c: '3.00' } },
        expiresAt(),
        1e5,
      );
      expect(merged).toEqual({ outcome: 'written', data: { ...untouched, checkout: { b: 2, c: '3.00' } } });
      await store.write(idHash, { kind: 'set', key: 'currency', value: 'usd' }, expiresAt(), 1e5);
      const removed = await store.write(idHash, { kind: 'set', key: 'basket_pk', value: undefined }, expiresAt(), 1e5);
      const { basket_pk: _, ...rest } = untouched;
      expect(removed).toEqual({
        outcome: 'written',
        data: { ...rest, checkout: { b: 2, c: '3.00' }, currency: 'usd' },
      });
      expect((await store.get(idHash))!.data).toEqual(removed.outcome === 'written' ? removed.data : null);
    });

    it('writes nothing to a session that is gone, nor over the size limit; a touch moves only the expiry', async () => {
      const store = one.app.get(SessionStore);
      const gone = randomBytes(32).toString('hex');
      const merge = { kind: 'merge', key: 'checkout', fields: { a: 1 } } as const;
      expect(await store.write(gone, merge, expiresAt(), 1e5)).toEqual({ outcome: 'gone' });
      expect(await store.get(gone)).toBeUndefined();

      const idHash = await newSession({ ...untouched });
      const blob = { kind: 'merge', key: 'checkout', fields: { blob: 'x'.repeat(SESSION_DATA_BYTES_MAX) } } as const;
      expect(await store.write(idHash, blob, expiresAt(), SESSION_DATA_BYTES_MAX)).toEqual({ outcome: 'too_large' });
      expect((await store.get(idHash))!.data).toEqual(untouched);

      const later = new Date(Date.now() + 2 * HOUR_MS);
      expect(await store.write(idHash, { kind: 'touch' }, later, 1)).toEqual({ outcome: 'written', data: untouched });
      expect((await store.get(idHash))!.expiresAt).toEqual(later);
    });
  });
});
