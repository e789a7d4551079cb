import { DataSource } from 'typeorm';
import { readTogether } from '@app/database';
import { AddressEntity } from '../libs/checkout/src/entities/address.entity';
import { userAddressesPart } from '../libs/checkout/src/repositories/address.repository';
import { OrderEntity } from '../libs/checkout/src/entities/order.entity';
import { latestOrderPart } from '../libs/checkout/src/repositories/order.repository';
import { UserRepository } from '../libs/identity/src/repositories/user.repository';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct } from './helpers/checkout';
import { statementsOf as allStatementsOf } from './helpers/statements';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

/*
 * What a storefront request costs in database round trips (docs/benchmarks.md: on this machine a statement's socket
 * write is the largest single cost of a page). Each budget is what the request needs today; a change that adds a
 * statement to a page fails here and says which page and which statements.
 */

/** The statements of `work`, whitespace folded, for a readable failure. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  return (await allStatementsOf(work)).map((text) => text.replace(/\s+/g, ' ').slice(0, 300));
}

/**
 * The final page: the session and user, the placement lease and its release, the session read again under it, the
 * page's one read (with the customer's latest order, and the addresses' places, checked from it), the order placed
 * (one statement: checkout_place_order), the store-credit payment (one: ledger_pay_order), the order's move to
 * completed, the session write.
 */
const FINAL_PAGE_BUDGET = 9;

describe('database round trips of storefront requests (sessions in PostgreSQL)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { REDIS_URL: '' } });
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
  });

  afterAll(() => app.close());

  it('reads a signed-in caller’s session and user in one statement, the user as a plain read would load it', async () => {
    const c = await newCustomer(app);
    await app.app
      .get(DataSource)
      .query(`UPDATE users SET date_of_birth = '1990-02-03', last_login = now(), gender = 'female' WHERE id = $1`, [
        c.userId,
      ]);
    const statements = await statementsOf(() => c.get('/users/profile/'));
    expect(statements.filter((s) => /FROM sessions|FROM "users"|"UserEntity"/.test(s))).toEqual([
      expect.stringMatching(/^SELECT s\.channel_id.*FROM sessions s LEFT JOIN users u/),
    ]);
    const [row] = await app.app
      .get(DataSource)
      .query<{ u: Record<string, unknown> }[]>(`SELECT to_jsonb(u) AS u FROM users u WHERE id = $1`, [c.userId]);
    const repository = app.app.get(UserRepository, { strict: false });
    expect(repository.fromRow(row.u, 1, c.userId)).toEqual(await repository.findById(1, c.userId));
    expect(repository.fromRow(row.u, 2, c.userId)).toBeNull();
    expect(repository.fromRow(row.u, 1, c.userId + 1)).toBeNull();
  });

  it('reads a customer’s addresses in a page’s one read as TypeORM loads them, places included', async () => {
    const c = await newCustomer(app);
    const first = await addAddress(c);
    const second = await addAddress(c);
    const dataSource = app.app.get(DataSource);
    const { addresses } = await readTogether(dataSource, { addresses: userAddressesPart(dataSource, 1, c.userId) });
    const loaded = await dataSource.getRepository(AddressEntity).find({
      where: { userId: c.userId },
      relations: { country: true, city: true, township: true, district: true },
      order: { primary: 'DESC', id: 'ASC' },
    });
    expect(loaded.map((a) => a.id)).toEqual(expect.arrayContaining([first, second]));
    expect(addresses).toEqual(loaded);
    expect(addresses[0].city).not.toBeNull();
    expect(await readTogether(dataSource, { addresses: userAddressesPart(dataSource, 2, c.userId) })).toEqual({
      addresses: [],
    });
  });

  it('answers each checkout page within its statement budget', async () => {
    const c = await newCustomer(app);
    await fundedAccount(app, { owner: c, balance: '1000', debitAllowed: true });
    const product = await createProduct(app, '10.00');
    const address = await addAddress(c);
    const pages: [string, Record<string, string>, number][] = [
      // session+user; the page's one read (basket, addresses, settings, balance); the session write
      ['DeliveryOptionSelectionPage', { delivery_option: '1' }, 3],
      // the chosen address's places are checked from the page's read: no statement of their own
      ['AddressSelectionPage', { shipping_address: String(address), billing_address: String(address) }, 3],
      ['ShippingOptionSelectionPage', { shipping_option: '1' }, 3],
      ['LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' }, 3],
      ['PaymentOptionSelectionPage', { payment_option: '2' }, 3],
      ['LoyaltyPaymentSelectedPage', { agreement: 'true' }, FINAL_PAGE_BUDGET],
    ];
    // The channel's first store-credit payment in a currency also opens its SALE account: the second checkout is
    // the one measured.
    for (const [page, form] of [['basket', {}] as const, ...pages]) {
      const answer =
        page === 'basket'
          ? await c.json('POST', '/baskets/basket/', { product, quantity: 1 })
          : await c.page(page, form);
      expect({ page, status: answer.status, errors: answer.body.errors ?? null }).toEqual({
        page,
        status: 200,
        errors: null,
      });
    }
    // session+user, the caller's basket, the line written (basket_set_line), the basket priced
    const added = await statementsOf(async () => {
      expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    });
    if (added.length > 4) throw new Error(`POST /baskets/basket/: ${added.length} statements\n${added.join('\n')}`);
    for (const [page, form, budget] of pages) {
      let errors: unknown = 'not answered';
      const statements = await statementsOf(async () => {
        errors = (await c.page(page, form)).body.errors;
      });
      expect({ page, errors }).toEqual({ page, errors: null });
      if (statements.length > budget)
        throw new Error(`${page}: ${statements.length} statements\n${statements.join('\n')}`);
    }
    // The final page read the latest order with the basket: as TypeORM loads it, amounts exact.
    const dataSource = app.app.get(DataSource);
    const loaded = await dataSource
      .getRepository(OrderEntity)
      .findOne({ where: { userId: c.userId }, order: { id: 'DESC' } });
    expect(loaded?.status).toBe('completed');
    const { latest } = await readTogether(dataSource, { latest: latestOrderPart(dataSource, 1, c.userId) });
    expect(latest).toEqual(loaded);
    expect(typeof latest?.totalAmount).toBe('bigint');
  });
});
