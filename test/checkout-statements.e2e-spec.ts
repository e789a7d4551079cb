import { DataSource } from 'typeorm';
import { UserRepository } from '../libs/identity/src/repositories/user.repository';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, giveCredit, storefrontCustomer } from './helpers/checkout';
import { statementsOf as allStatementsOf } from './helpers/statements';
import { startTestApp, type TestApp } from './helpers/test-app';

/*
 * What a storefront request costs in database round trips (docs/benchmarks.md: on this machine a statement's socket
 * write is the largest single cost of a page). Each budget is what the request needs today; a change that adds a
 * statement to a page fails here and says which page and which statements.
 */

/** The statements of `work`, whitespace folded, for a readable failure. */
async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
  return (await allStatementsOf(work)).map((text) => text.replace(/\s+/g, ' ').slice(0, 300));
}

describe('database round trips of storefront requests (sessions in PostgreSQL)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { REDIS_URL: '' } });
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
  });

  afterAll(() => app.close());

  it('reads a signed-in caller’s session and user in one statement, the user as a plain read would load it', async () => {
    const c = await storefrontCustomer(app);
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

  it('answers each checkout page within its statement budget', async () => {
    const c = await storefrontCustomer(app);
    await giveCredit(app, c.userId, '1000');
    const product = await createProduct(app, '10.00');
    const address = await addAddress(c);
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    const pages: [string, Record<string, string>, number][] = [
      // session+user, basket, addresses, session write
      ['DeliveryOptionSelectionPage', { delivery_option: '1' }, 4],
      // session+user, basket, the address, its places, session write
      ['AddressSelectionPage', { shipping_address: String(address), billing_address: String(address) }, 5],
      // session+user, basket, addresses, settings, session write
      ['ShippingOptionSelectionPage', { shipping_option: '1' }, 5],
      // ... and the balance
      ['LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' }, 6],
      ['PaymentOptionSelectionPage', { payment_option: '2' }, 5],
    ];
    for (const [page, form, budget] of pages) {
      let errors: unknown = 'not answered';
      const statements = await statementsOf(async () => {
        errors = (await c.page(page, form)).body.errors;
      });
      expect({ page, errors }).toEqual({ page, errors: null });
      if (statements.length > budget)
        throw new Error(`${page}: ${statements.length} statements\n${statements.join('\n')}`);
    }
  });
});
