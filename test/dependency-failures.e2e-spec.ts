import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment } from './helpers/checkout';
import { register } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';

/**
 * Issue 15, item 1: a request that fails because PostgreSQL is unavailable answers 503 in the API's error shape with
 * `Retry-After`, never 500, and says nothing of the cause. Faults here touch only this file's own database on the
 * shared server (a statement timeout behind a row lock, and its backends terminated), never the server itself.
 */
const CH = 1;

describe('PostgreSQL unavailable: 503 with Retry-After, never 500', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let token: string;
  let db: DataSource;

  const post = (path: string, json: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      json,
      headers: { 'Accept-Language': 'en', Authorization: `Token ${token}` },
    });

  async function accountOf(balance: string): Promise<{ pk: number }> {
    const { email } = await register(storefront.http);
    const [{ id }] = await db.query<{ id: number }[]>('SELECT id FROM users WHERE email_lower = lower($1)', [email]);
    return fundedAccount(omnitron, { owner: id, balance });
  }

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron', { env: { DATABASE_STATEMENT_TIMEOUT_MS: '400' } });
    storefront = await startTestApp('storefront', {
      databaseUrl: omnitron.config.databaseUrl,
      env: { DATABASE_STATEMENT_TIMEOUT_MS: '400' },
    });
    db = omnitron.app.get(DataSource);
    token = (await newStaff(omnitron, { channels: [CH] })).token;
  });
  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  it('answers a statement that hit its timeout (a long row lock) with 503 database_unavailable, moving nothing', async () => {
    const source = await accountOf('100.00');
    const destination = await accountOf('0.00');
    const locker = new Client({ connectionString: omnitron.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = $1 FOR UPDATE', [source.pk]);
      const response = await post(`loyalty_account/${destination.pk}/create_transfer/`, {
        amount: '10',
        source_account: source.pk,
        destination_account: destination.pk,
      });
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        detail: 'The service is temporarily unavailable.',
        code: 'database_unavailable',
      });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(response.text).not.toMatch(/select|update|loyalty_account|statement/i);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const balances = await db.query<{ balance: string }[]>(
      'SELECT balance::text FROM loyalty_account WHERE id = ANY($1) ORDER BY id',
      [[source.pk, destination.pk]],
    );
    expect(balances.map((b) => b.balance)).toEqual(['100.00', '0.00']);
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  });

  it('answers requests on terminated connections with 503 or success, never 500, and recovers by itself', async () => {
    const source = await accountOf('100.00');
    const destination = await accountOf('0.00');
    const transfer = () =>
      post(`loyalty_account/${destination.pk}/create_transfer/`, {
        amount: '1',
        source_account: source.pk,
        destination_account: destination.pk,
      });
    expect((await transfer()).status).toBe(204);
    const admin = new Client({ connectionString: omnitron.config.databaseUrl });
    await admin.connect();
    const statuses: number[] = [];
    try {
      for (let round = 0; round < 3; round++) {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        const answers = await Promise.all(Array.from({ length: 8 }, () => transfer()));
        statuses.push(...answers.map((a) => a.status));
        for (const answer of answers.filter((a) => a.status === 503)) {
          expect(answer.body.code).toBe('database_unavailable');
          expect(answer.headers.get('retry-after')).not.toBeNull();
        }
      }
    } finally {
      await admin.end();
    }
    expect(statuses.filter((s) => s !== 204 && s !== 503)).toEqual([]);
    expect((await transfer()).status).toBe(204);
    const moved = statuses.filter((s) => s === 204).length + 2;
    const [{ balance }] = await db.query<{ balance: string }[]>(
      'SELECT balance::text FROM loyalty_account WHERE id = $1',
      [destination.pk],
    );
    expect(balance).toBe(`${moved}.00`);
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  });

  it('answers a checkout post that hits an outage with 503, not a page with errors; the retry places the order', async () => {
    // The checkout's HTTP 200 with `errors` is for what the customer must change; an outage is nothing the
    // customer can fix, and the client (like any HTTP client) retries a 503 or shows "try again".
    await storefront.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
    const product = await createProduct(storefront, '25.00', 10);
    const c = await newCustomer(storefront);
    await fundedAccount(storefront, { owner: c, balance: '40.00', debitAllowed: true });
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '25.00' })).body.errors).toBeNull();
    expect((await c.page('PaymentOptionSelectionPage', { payment_option: '2' })).body.errors).toBeNull();
    const locker = new Client({ connectionString: storefront.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE user_id = $1 FOR UPDATE', [c.userId]);
      const held = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
      expect({ status: held.status, body: held.body }).toEqual({
        status: 503,
        body: { detail: 'The service is temporarily unavailable.', code: 'database_unavailable' },
      });
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const [{ balance }] = await db.query<{ balance: string }[]>(
      "SELECT balance::text FROM loyalty_account WHERE user_id = $1 AND currency = 'try'",
      [c.userId],
    );
    expect(balance).toBe('40.00');
    const retry = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(retry.body.errors).toBeNull();
    expect(retry.body.context_list[0].page_name).toBe('ThankYouPage');
    const orders = await db.query<{ status: string }[]>('SELECT status FROM orders WHERE user_id = $1', [c.userId]);
    expect(orders.map((o) => o.status)).toEqual(['completed']);
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  });
});
