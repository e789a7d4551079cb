import { DynamicSettingsService } from '@app/settings';
import { createProduct, placeLoyaltyOrder } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

const POOL_SIZE = 4;
const CUSTOMERS = 3 * POOL_SIZE;

describe('checkout pages under concurrent completions', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { DATABASE_POOL_SIZE: String(POOL_SIZE) } });
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => app.close());

  // Each completion holds a pooled connection for its advisory lock: more completions at once than the pool has
  // connections once starved the pool (every final page a 500 after the connect timeout).
  it('places every order when more customers finish at once than the pool has connections', async () => {
    const customers = await Promise.all(
      Array.from({ length: CUSTOMERS }, async () => {
        const c = await newCustomer(app);
        await fundedAccount(app, { owner: c, balance: '50.00', debitAllowed: true });
        return c;
      }),
    );
    const product = await createProduct(app, '5.00', 100);
    const tokens = await Promise.all(customers.map((c) => placeLoyaltyOrder(c, product)));
    expect(new Set(tokens).size).toBe(CUSTOMERS);
    for (const c of customers) {
      const orders = await c.get('/users/orders/');
      expect(orders.body.count).toBe(1);
      expect(orders.body.results[0]).toMatchObject({ status: 'completed', amount: '5.00' });
    }
  });
});
