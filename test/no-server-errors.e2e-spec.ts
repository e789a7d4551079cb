import { DataSource } from 'typeorm';
import { LedgerQueryService } from '@app/ledger';
import { createProduct, type StorefrontCustomer } from './helpers/checkout';
import { PASSWORD, uniqueEmail } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer, newStaff } from './helpers/fixtures';

/**
 * Issue 18, item 1: each input the attacker-style review answered with a 500, one test per cause. The fuzz test
 * (`fuzz.e2e-spec.ts`) looks for more of the same kind; these keep each known cause named.
 */
const CH = 1;
const LIMIT = '999999999999.99';

function nested(depth: number): unknown {
  let value: unknown = 'deep';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

describe('no input gives a 5xx', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let staff: Record<string, string>;
  let customer: StorefrontCustomer;
  let db: DataSource;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    db = omnitron.app.get(DataSource);
    staff = (await newStaff(omnitron, { channels: [CH] })).headers;
    customer = await newCustomer(storefront);
  });
  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  describe('bodies', () => {
    it('refuses JSON nested 1,500 deep with a 400, anonymously, before it reaches a DTO', async () => {
      const response = await storefront.http.request('/users/login/', {
        json: { email: nested(1500), password: 'x' },
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'body_too_deep' });
      const staffSide = await omnitron.http.request(`/api/v1/remote/${CH}/products/`, {
        json: { sku: 'X', name: nested(1500) },
        headers: staff,
      });
      expect(staffSide.status).toBe(400);
      expect(staffSide.body).toMatchObject({ code: 'body_too_deep' });
    });

    it('refuses deep JSON on the checkout too, with a 400: no form the client sends looks like it', async () => {
      const response = await storefront.http.request('/orders/checkout/?page=LoyaltyMoneyUsagePage', {
        json: { loyalty_amount_to_use: nested(1500) },
        headers: customer.headers,
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'body_too_deep' });
    });

    it('refuses a form-encoded checkout body with a NUL byte in a field, naming the field', async () => {
      const response = await storefront.http.request('/orders/checkout/?page=LoyaltyMoneyUsagePage', {
        form: { loyalty_amount_to_use: '1\u0000' },
        headers: customer.headers,
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ field_errors: { loyalty_amount_to_use: [expect.any(String)] } });
    });

    it('refuses a lone surrogate in an e-mail with a field error (was a URIError)', async () => {
      for (const path of ['/users/registration/', '/users/login/']) {
        const response = await storefront.http.request(path, {
          raw: `{"email":"a\\ud800@example.com","password":"${PASSWORD}"}`,
          headers: { 'Accept-Language': 'en' },
        });
        expect(response.status).toBe(400);
        // These three endpoints answer in the storefront client's field layout: messages keyed by field.
        expect(response.body).toEqual({ email: ['This field contains a NUL byte or an unpaired surrogate.'] });
      }
    });

    it('refuses a NUL byte in a text field with a field error (was PostgreSQL 22021)', async () => {
      const response = await storefront.http.request('/users/registration/', {
        json: { email: uniqueEmail(), password: PASSWORD, first_name: 'Ja\u0000ne', last_name: 'Doe' },
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ first_name: ['This field contains a NUL byte or an unpaired surrogate.'] });
    });

    it('refuses a NUL byte in a nested field (a price’s currency) with a field error on it', async () => {
      const nestedField = await omnitron.http.request(`/api/v1/remote/${CH}/products/`, {
        json: { sku: 'NUL-1', name: 'Mug', stock: 1, prices: [{ currency: 'try\u0000', amount: '1.00' }] },
        headers: staff,
      });
      expect(nestedField.status).toBe(400);
      expect(Object.keys(nestedField.body.field_errors)).toEqual(['prices.0.currency']);
    });
  });

  describe('null only where a field is nullable', () => {
    it('refuses null profile names and consent flags', async () => {
      for (const field of ['first_name', 'last_name', 'email_allowed', 'sms_allowed']) {
        const response = await customer.json('PATCH', '/users/profile/', { [field]: null });
        expect({ field, status: response.status }).toEqual({ field, status: 400 });
        expect(response.body).toEqual({ [field]: ['This field may not be null.'] });
      }
      // `phone` and `call_allowed` are nullable columns: null clears them.
      expect((await customer.json('PATCH', '/users/profile/', { phone: null, call_allowed: null })).status).toBe(200);
    });

    it('refuses null basket product and quantity', async () => {
      const product = await createProduct(storefront, '10.00');
      for (const [method, body] of [
        ['POST', { product: null }],
        ['POST', { product, quantity: null }],
        ['PUT', { product: null, quantity: 1 }],
        ['PATCH', { product, quantity: null }],
      ] as const) {
        const response = await customer.json(method, '/baskets/basket/', body);
        expect({ method, body, status: response.status }).toEqual({ method, body, status: 400 });
      }
    });

    it('refuses null product prices and sku', async () => {
      const pk = await createProduct(storefront, '10.00');
      for (const field of ['prices', 'sku', 'name', 'stock', 'active']) {
        const response = await omnitron.http.request(`/api/v1/remote/${CH}/products/${pk}/`, {
          method: 'PATCH',
          json: { [field]: null },
          headers: staff,
        });
        expect({ field, status: response.status }).toEqual({ field, status: 400 });
        expect(response.body.field_errors).toEqual({ [field]: ['This field may not be null.'] });
      }
    });
  });

  describe('ids beyond their column', () => {
    it('answers 404 to a path id beyond int4', async () => {
      for (const path of ['loyalty_account/2147483648/', 'products/99999999999999999999/', 'orders/2147483648/']) {
        const response = await omnitron.http.get(`/api/v1/remote/${CH}/${path}`, staff);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
      expect((await omnitron.http.get('/api/v1/remote/2147483648/loyalty_account/', staff)).status).toBe(404);
      expect((await customer.get('/address/2147483648/')).status).toBe(404);
      expect((await customer.get('/users/orders/2147483648/')).status).toBe(404);
    });

    it('answers a field error to a body id beyond int4 (a transfer’s destination_account 2147483648)', async () => {
      const account = await omnitron.http.request(`/api/v1/remote/${CH}/loyalty_account/`, {
        json: { user: customer.userId, currency: 'try' },
        headers: staff,
      });
      expect(account.status).toBe(201);
      const transfer = await omnitron.http.request(
        `/api/v1/remote/${CH}/loyalty_account/${account.body.pk}/create_transfer/`,
        { json: { amount: '1.00', source_account: account.body.pk, destination_account: 2147483648 }, headers: staff },
      );
      expect(transfer.status).toBe(400);
      expect(Object.keys(transfer.body.field_errors)).toEqual(['destination_account']);
    });

    it('answers a field error to a query id beyond int4 (user=2147483648)', async () => {
      const filter = await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_account/?user=2147483648`, staff);
      expect(filter.status).toBe(400);
      expect(Object.keys(filter.body.field_errors)).toEqual(['user']);
    });

    it('answers 400 to a basket product id beyond int4 (2147483648)', async () => {
      const basket = await customer.json('POST', '/baskets/basket/', { product: 2147483648 });
      expect(basket.status).toBe(400);
    });
  });

  describe('balances and amounts at the ledger limit', () => {
    it('refuses, on its amount, a transfer that would push a customer balance past the limit', async () => {
      const other = await newCustomer(storefront);
      const created = await omnitron.http.request(`/api/v1/remote/${CH}/loyalty_account/`, {
        json: { user: other.userId, currency: 'usd', balance: LIMIT },
        headers: staff,
      });
      expect(created.status).toBe(201);
      const banks: { id: number }[] = await db.query(
        `SELECT id FROM loyalty_account WHERE channel_id = $1 AND kind = 'bank' AND currency = 'usd'`,
        [CH],
      );
      const bank = banks[0];
      const over = await omnitron.http.request(
        `/api/v1/remote/${CH}/loyalty_account/${created.body.pk}/create_transfer/`,
        {
          json: { amount: '0.01', source_account: bank.id, destination_account: created.body.pk },
          headers: staff,
        },
      );
      expect(over.status).toBe(400);
      expect(over.body.field_errors).toEqual({
        amount: [`This would take the account's balance past ${LIMIT}.`],
      });
      // BANK's sum may pass the limit (it is the sum of every opening and adjustment): a second full account is fine.
      const third = await newCustomer(storefront);
      const second = await omnitron.http.request(`/api/v1/remote/${CH}/loyalty_account/`, {
        json: { user: third.userId, currency: 'usd', balance: LIMIT },
        headers: staff,
      });
      expect(second.status).toBe(201);
      const list = await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_account/?currency=usd&page_size=100`, staff);
      expect(list.status).toBe(200);
      expect(list.body.results.map((a: { balance: string }) => a.balance)).toContain('-1999999999999.98');
    });

    it('reads any amount the database holds, whatever its size', async () => {
      // An account already past the limit, as one could become before the limit was enforced: written straight in
      // the database, balanced (the postings sum to zero) so the ledger's audit stays clean.
      const reader = await newCustomer(storefront);
      const huge = '123456789012345678.00';
      await db.transaction(async (m) => {
        const accounts: { id: number }[] = await m.query(
          `INSERT INTO loyalty_account (channel_id, kind, number, user_id, currency, balance, debit_allowed, created_date, modified_date)
           VALUES ($1, 'customer', $2, $3, 'try', $4, false, now(), now()) RETURNING id`,
          [CH, `huge-${reader.userId}`, reader.userId, huge],
        );
        // The channel's BANK account in TRY, created here when no test made it yet.
        await m.query(
          `INSERT INTO loyalty_account (channel_id, kind, number, user_id, currency, balance, debit_allowed, created_date, modified_date)
           VALUES ($1, 'bank', 'Bank', NULL, 'try', 0, true, now(), now())
           ON CONFLICT DO NOTHING`,
          [CH],
        );
        const banks: { id: number }[] = await m.query(
          `SELECT id FROM loyalty_account WHERE channel_id = $1 AND kind = 'bank' AND currency = 'try'`,
          [CH],
        );
        const transactions: { id: number }[] = await m.query(
          `INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, user_id, created_date)
           VALUES (gen_random_uuid(), $1, 'adjustment', 'try', $2, $3, now()) RETURNING id`,
          [CH, huge, reader.userId],
        );
        await m.query(
          `INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, balance_after, created_date)
           VALUES ($1, $2, $3, 'try', $4, $4, now()), ($1, $5, $3, 'try', -$4::numeric, NULL, now())`,
          [transactions[0].id, accounts[0].id, CH, huge, banks[0].id],
        );
      });
      const balance = await reader.get('/account/loyalty-account-balance/');
      expect(balance.status).toBe(200);
      const history = await reader.get('/account/loyalty/');
      expect(history.status).toBe(200);
      expect(history.body.results[0].amount).toBe(huge);
      const accounts = await omnitron.http.get(
        `/api/v1/remote/${CH}/loyalty_account/?currency=try&page_size=100`,
        staff,
      );
      expect(accounts.status).toBe(200);
      expect(accounts.body.results.map((a: { balance: string }) => a.balance)).toEqual(
        expect.arrayContaining([huge, `-${huge}`]),
      );
      const transfers = await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_transfer/`, staff);
      expect(transfers.status).toBe(200);
      const page = await reader.get('/orders/checkout/?page=LoyaltyMoneyUsagePage');
      expect(page.status).toBe(200);
    });
  });

  it('leaves the ledger sound after all of the above', async () => {
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants()).toEqual([]);
  });
});
