import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';

const CH = 1;
const LANG = { 'Accept-Language': 'en' };

describe('storefront account loyalty: balance and history of the signed-in user', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let token: string;

  const staff = (method: string, path: string, json?: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: { ...LANG, Authorization: `Token ${token}` },
    });

  /** A signed-in customer (`newCustomer`) and its reads as the storefront client sends them, with x-currency. */
  async function customer() {
    const signedIn = await newCustomer(storefront);
    return {
      id: signedIn.userId,
      get: (path: string, currency?: string) =>
        storefront.http.get(path, { ...signedIn.headers, ...(currency ? { 'x-currency': currency } : {}) }),
      /** Opens an account of this customer holding `balance` (`fundedAccount`) and returns its pk. */
      open: async (currency: string, balance: string): Promise<number> =>
        (await fundedAccount(storefront, { owner: signedIn, currency, balance })).pk,
    };
  }

  const transfer = async (source: number, destination: number, amount: string) => {
    const response = await staff('POST', `loyalty_account/${source}/create_transfer/`, {
      amount,
      source_account: source,
      destination_account: destination,
    });
    expect(response.status).toBe(204);
  };

  beforeAll(async () => {
    storefront = await startTestApp('storefront');
    omnitron = await startTestApp('omnitron', { databaseUrl: storefront.config.databaseUrl });
    token = (await newStaff(omnitron, { channels: [CH] })).token;
  });

  afterAll(async () => {
    await omnitron?.close();
    await storefront?.close();
  });

  describe('GET /account/loyalty-account-balance/', () => {
    it('answers 401 without a signed-in session', async () => {
      const response = await storefront.http.get('/account/loyalty-account-balance/', LANG);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        detail: 'Authentication credentials were not provided.',
        code: 'not_authenticated',
      });
    });

    it('answers 0 as a number when the user has no account', async () => {
      const me = await customer();
      const response = await me.get('/account/loyalty-account-balance/');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ balance: 0 });
    });

    it('answers the balance of the session currency as a JSON number', async () => {
      const me = await customer();
      await me.open('try', '50.50');
      await me.open('usd', '10.07');
      expect((await me.get('/account/loyalty-account-balance/', 'try')).text).toBe('{"balance":50.5}');
      expect((await me.get('/account/loyalty-account-balance/', 'usd')).body).toEqual({ balance: 10.07 });
      expect((await me.get('/account/loyalty-account-balance/', 'eur')).body).toEqual({ balance: 0 });
      // No x-currency: the channel's default currency (try).
      expect((await me.get('/account/loyalty-account-balance/')).body).toEqual({ balance: 50.5 });
      // A currency the channel does not sell in is ignored, never an error.
      expect((await me.get('/account/loyalty-account-balance/', 'undefined')).body).toEqual({ balance: 50.5 });
    });

    it('adds every account of the user in the currency, invoice accounts included, and no one else’s', async () => {
      const me = await customer();
      const other = await customer();
      await me.open('try', '0.10');
      const theirs = await other.open('try', '999');
      // An invoice account of the same user (opened by a refund in production) counts too.
      const invoice = (await fundedAccount(storefront, { owner: me.id, kind: 'invoice', balance: '0' })).pk;
      await transfer(theirs, invoice, '0.20');
      // 0.1 + 0.2 is 0.30000000000000004 in floating point: the sum is exact.
      expect((await me.get('/account/loyalty-account-balance/', 'try')).text).toBe('{"balance":0.3}');
      expect((await other.get('/account/loyalty-account-balance/', 'try')).body).toEqual({ balance: 998.8 });
    });
  });

  describe('GET /account/loyalty/', () => {
    it('answers 401 without a signed-in session', async () => {
      expect((await storefront.http.get('/account/loyalty/', LANG)).status).toBe(401);
    });

    it('lists the user’s transfers in the session currency, newest first, in the contract’s shape', async () => {
      const me = await customer();
      const other = await customer();
      const mine = await me.open('try', '100');
      const theirs = await other.open('try', '0');
      await me.open('usd', '3');
      await transfer(mine, theirs, '14');
      const response = await me.get('/account/loyalty/', 'try');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        count: 2,
        next: null,
        previous: null,
        results: [
          {
            amount: '-14.00',
            currency: { value: 'try', label: 'TRY' },
            created_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
            transaction: { order: '', created_date: expect.stringMatching(/Z$/) },
          },
          {
            amount: '100.00',
            currency: { value: 'try', label: 'TRY' },
            created_date: expect.any(String),
            transaction: { order: '', created_date: expect.any(String) },
          },
        ],
      });
      const usd = await me.get('/account/loyalty/', 'usd');
      expect(usd.body.results.map((r: { amount: string }) => r.amount)).toEqual(['3.00']);
      expect((await me.get('/account/loyalty/', 'eur')).body).toEqual({
        count: 0,
        next: null,
        previous: null,
        results: [],
      });
      const theirsList = await other.get('/account/loyalty/', 'try');
      expect(theirsList.body.results.map((r: { amount: string }) => r.amount)).toEqual(['14.00']);
    });

    it('pages with page and page_size (default 10, at most 100)', async () => {
      const me = await customer();
      const other = await customer();
      const mine = await me.open('try', '100');
      const theirs = await other.open('try', '0');
      for (let i = 1; i <= 11; i++) await transfer(mine, theirs, `${i}`);
      const first = await me.get('/account/loyalty/');
      expect(first.body.count).toBe(12);
      expect(first.body.results).toHaveLength(10);
      expect(first.body.results[0].amount).toBe('-11.00');
      // The links carry a cursor (an index range scan from the row, however deep); a page number still works.
      const amounts = (page: { body: { results: { amount: string }[] } }) => page.body.results.map((r) => r.amount);
      const pathOf = (link: string) => link.slice(link.indexOf('/account/'));
      expect(first.body.next).toMatch(/\?cursor=[A-Za-z0-9_-]+$/);
      const followed = await me.get(pathOf(first.body.next));
      expect(followed.body).toMatchObject({ count: 12, next: null });
      expect(amounts(followed)).toEqual(['-1.00', '100.00']);
      const back = await me.get(pathOf(followed.body.previous));
      expect(amounts(back)).toEqual(amounts(first));
      expect(back.body.previous).toBeNull();
      const second = await me.get('/account/loyalty/?page=2');
      expect(amounts(second)).toEqual(['-1.00', '100.00']);
      expect(amounts(await me.get(pathOf(second.body.previous)))).toEqual(amounts(first));
      const notACursor = await me.get('/account/loyalty/?cursor=bm9wZQ');
      expect(notACursor.status).toBe(400);
      expect(notACursor.body.field_errors.cursor).toEqual(['Invalid cursor.']);
      const small = await me.get('/account/loyalty/?page_size=3&page=4');
      expect(small.body.results.map((r: { amount: string }) => r.amount)).toEqual(['-2.00', '-1.00', '100.00']);
      // Above the maximum is read as the maximum, as the platform's pagination does.
      const tooBig = await me.get('/account/loyalty/?page_size=101');
      expect(tooBig.status).toBe(200);
      expect(tooBig.body.results).toHaveLength(small.body.count);
      const notAPage = await me.get('/account/loyalty/?page=abc');
      expect(notAPage.status).toBe(400);
      expect(notAPage.body.field_errors.page).toEqual(['Invalid page: a page number from 1 to 10000 is required.']);
    });
  });
});
