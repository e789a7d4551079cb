import { randomUUID } from 'node:crypto';
import { adminLedger } from './helpers/ledger-edge';
import { DataSource } from 'typeorm';
import { LEDGER_ORDER_LOOKUP, LedgerService, type LedgerOrderLookup } from '@app/ledger';
import { FakeOrderLookup, ledgerSnapshot } from './helpers/ledger';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newChannel, newCustomer, newStaff } from './helpers/fixtures';

const CH = 1;
const LANG = { 'Accept-Language': 'en' };
const ACCOUNT_FIELDS = [
  'balance',
  'created_date',
  'currency',
  'debit_allowed',
  'modified_date',
  'number',
  'pk',
  'user',
  'user_email',
];

describe('back-office store-credit ledger over HTTP', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let db: DataSource;
  let token: string;
  let otherToken: string;
  let otherChannelId: number;
  const orders = new FakeOrderLookup();

  const call = (method: string, path: string, json?: unknown, headers: Record<string, string> = {}, key = token) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: { ...LANG, Authorization: `Token ${key}`, ...headers },
    });
  const get = (path: string) => call('GET', path);
  const post = (path: string, json: unknown, headers: Record<string, string> = {}) => call('POST', path, json, headers);
  const patch = (path: string, json: unknown, headers: Record<string, string> = {}) =>
    call('PATCH', path, json, headers);
  const snapshot = () => ledgerSnapshot(db);

  /** A storefront customer of channel 1: id and e-mail. */
  async function customer(): Promise<{ id: number; email: string }> {
    const { userId, email } = await newCustomer(storefront);
    return { id: userId, email };
  }

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    db = omnitron.app.get(DataSource);
    // It sells in try as channel 1 does, so an account of it differs from channel 1's by the channel alone.
    otherChannelId = (await newChannel(omnitron, { currencies: ['usd', 'try'] })).id;
    token = (await newStaff(omnitron, { channels: [CH] })).token;
    otherToken = (await newStaff(omnitron, { channels: [otherChannelId] })).token;
    // Orders are created by checkout; these tests stand in for it by answering the app's order lookup themselves.
    const lookup = omnitron.app.get<symbol, LedgerOrderLookup>(LEDGER_ORDER_LOOKUP);
    jest
      .spyOn(lookup, 'findByNumber')
      .mockImplementation((channelId, number) => orders.findByNumber(channelId, number));
  });

  afterAll(async () => {
    await storefront?.close();
    await omnitron?.close();
  });

  describe('authentication', () => {
    it.each(['loyalty_account/', 'loyalty_transfer/', 'loyalty-transactions/', 'dynamic_settings/'])(
      'answers 401 to GET %s without a token',
      async (path) => {
        expect((await omnitron.http.get(`/api/v1/remote/${CH}/${path}`, LANG)).status).toBe(401);
      },
    );

    it('answers 403 to a GET with a token of another channel', async () => {
      const other = await call('GET', 'loyalty_account/', undefined, {}, otherToken);
      expect(other.status).toBe(403);
    });

    it('answers 403 to a cross-refund of 1.00 with a token of another channel', async () => {
      const otherPost = await call(
        'POST',
        'loyalty-transactions/cross-refund/',
        { order_number: '1', amount: '1' },
        {},
        otherToken,
      );
      expect(otherPost.status).toBe(403);
    });
  });

  describe('loyalty_account', () => {
    it('creates an account from the spec’s example request and answers the spec’s fields', async () => {
      const user = await customer();
      const number = randomUUID();
      const response = await post('loyalty_account/', {
        number,
        user_email: user.email,
        balance: '100.00',
        debit_allowed: true,
        user: user.id,
        currency: 'eur',
      });
      expect(response.status).toBe(201);
      expect(Object.keys(response.body).sort()).toEqual(ACCOUNT_FIELDS);
      expect(response.body).toMatchObject({
        pk: expect.any(Number),
        number,
        user_email: user.email,
        balance: '100.00',
        debit_allowed: true,
        user: user.id,
        currency: 'eur',
        created_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        modified_date: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      });
      const fetched = await get(`loyalty_account/${response.body.pk}/`);
      expect(fetched.body).toEqual(response.body);
    });

    it('refuses a second account of a user in one currency: a field error on user', async () => {
      const user = await customer();
      await fundedAccount(omnitron, { owner: user, balance: '0', currency: 'usd' });
      const again = await post('loyalty_account/', { user: user.id, currency: 'usd' });
      expect(again.status).toBe(400);
      expect(Object.keys(again.body.field_errors)).toEqual(['user']);
    });

    it('refuses an account of an unknown user: User not found.', async () => {
      const unknown = await post('loyalty_account/', { user: 999_999, currency: 'usd' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.field_errors).toEqual({ user: ['User not found.'] });
    });

    it('refuses an account in currency "euro" (not a currency code): a field error on currency', async () => {
      const user = await customer();
      const badCurrency = await post('loyalty_account/', { user: user.id, currency: 'euro' });
      expect(badCurrency.status).toBe(400);
      expect(Object.keys(badCurrency.body.field_errors)).toEqual(['currency']);
    });

    it('lists accounts as a page, filtered by user, user_email, currency and number, in the ordering asked', async () => {
      const user = await customer();
      const a = await fundedAccount(omnitron, { owner: user, balance: '5', currency: 'try' });
      const b = await fundedAccount(omnitron, { owner: user, balance: '7', currency: 'usd' });
      const byUser = await get(`loyalty_account/?user=${user.id}&ordering=-balance`);
      expect(byUser.status).toBe(200);
      expect(byUser.body).toMatchObject({ count: 2, next: null, previous: null });
      expect(byUser.body.results.map((r: { pk: number }) => r.pk)).toEqual([b.pk, a.pk]);
      expect(Object.keys(byUser.body.results[0]).sort()).toEqual(ACCOUNT_FIELDS);
      const byEmail = await get(`loyalty_account/?user_email=${encodeURIComponent(user.email)}&currency=usd`);
      expect(byEmail.body.results.map((r: { pk: number }) => r.pk)).toEqual([b.pk]);
      const byNumber = await get(`loyalty_account/?number=${a.number}`);
      expect(byNumber.body.results.map((r: { pk: number }) => r.pk)).toEqual([a.pk]);
      const paged = await get(`loyalty_account/?user=${user.id}&page_size=1`);
      expect(paged.body.count).toBe(2);
      expect(paged.body.results).toHaveLength(1);
      expect(paged.body.next).toContain('cursor=');
      expect(paged.body.next).toContain(`user=${user.id}`);
      // Following the cursors walks the ordering both ways, filters kept.
      const pathOf = (link: string) => link.slice(link.indexOf('loyalty_account/'));
      const newest = await get(`loyalty_account/?user=${user.id}&page_size=1&ordering=-created_date`);
      const after = await get(pathOf(newest.body.next));
      expect([newest.body.results[0].pk, after.body.results[0].pk]).toEqual([b.pk, a.pk]);
      expect(after.body).toMatchObject({ count: 2, next: null });
      expect((await get(pathOf(after.body.previous))).body.results.map((r: { pk: number }) => r.pk)).toEqual([b.pk]);
      // By balance (which every money operation moves) the links carry page numbers instead.
      const byBalance = await get(`loyalty_account/?user=${user.id}&page_size=1&ordering=-balance`);
      expect(byBalance.body.next).toContain('page=2');
      expect(byBalance.body.next).not.toContain('cursor=');
      expect((await get(pathOf(byBalance.body.next))).body.results.map((r: { pk: number }) => r.pk)).toEqual([a.pk]);
      const badOrdering = await get('loyalty_account/?ordering=password');
      expect(badOrdering.status).toBe(400);
      expect(Object.keys(badOrdering.body.field_errors)).toEqual(['ordering']);
      expect((await get('loyalty_account/?page_size=101')).status).toBe(200);
    });

    it('PATCH sets the balance (spec example) and debit_allowed; other fields only as they are', async () => {
      const user = await customer();
      const created = await fundedAccount(omnitron, { owner: user, balance: '100.00' });
      const pk = created.pk;
      const updated = await patch(`loyalty_account/${pk}/`, { balance: '130.00' });
      expect(updated.status).toBe(200);
      expect(Object.keys(updated.body).sort()).toEqual(ACCOUNT_FIELDS);
      expect(updated.body).toMatchObject({ pk, balance: '130.00', number: created.number, user: user.id });
      const debit = await patch(`loyalty_account/${pk}/`, { debit_allowed: true, reason: 'VIP' });
      expect(debit.body.debit_allowed).toBe(true);
      // The whole object sent back unchanged is fine.
      const echoed = await patch(`loyalty_account/${pk}/`, { ...debit.body, balance: '120.00' });
      expect(echoed.status).toBe(200);
      expect(echoed.body.balance).toBe('120.00');
      const adjustments = await get(`loyalty-transactions/?kind=adjustment&user=${user.id}`);
      expect(adjustments.body.results[0]).toMatchObject({ kind: 'adjustment', actor: expect.any(Number) });
    });

    /** What each read-only field is changed to: another value than the account's own. */
    const readOnlyChanges: [string, (account: { pk: number; user: number }) => unknown][] = [
      ['number', () => 'other-number'],
      ['user', (a) => a.user + 1],
      ['currency', () => 'usd'],
      ['user_email', () => 'someone@example.com'],
      ['pk', (a) => a.pk + 1],
      ['created_date', () => '2020-01-01T00:00:00.000Z'],
    ];
    it.each(readOnlyChanges)(
      'refuses a PATCH of balance 1.00 that changes %s: This field cannot be changed, moving nothing',
      async (field, changed) => {
        const user = await customer();
        const pk = (await fundedAccount(omnitron, { owner: user, balance: '100.00' })).pk;
        const before = await snapshot();
        const refused = await patch(`loyalty_account/${pk}/`, {
          balance: '1.00',
          [field]: changed({ pk, user: user.id }),
        });
        expect(refused.status).toBe(400);
        expect(refused.body.field_errors).toEqual({ [field]: ['This field cannot be changed.'] });
        expect(await snapshot()).toEqual(before);
      },
    );

    it('answers 404 for an unknown account (999999)', async () => {
      expect((await get('loyalty_account/999999/')).status).toBe(404);
    });

    it('answers 404 to a GET and a PATCH of an account of another channel: loyalty_account_not_found', async () => {
      const other = await fundedAccount(omnitron, { channel: otherChannelId, currency: 'usd', balance: '0' });
      const response = await get(`loyalty_account/${other.pk}/`);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'Loyalty account not found.', code: 'loyalty_account_not_found' });
      expect((await patch(`loyalty_account/${other.pk}/`, { balance: '5' })).status).toBe(404);
    });
  });

  describe('create_transfer', () => {
    it('moves the spec example’s amount with 204 No Content; "20" and 20 are both valid', async () => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const response = await post(`loyalty_account/${destination.pk}/create_transfer/`, {
        amount: '20',
        source_account: source.pk,
        destination_account: destination.pk,
      });
      expect(response.status).toBe(204);
      expect(response.text).toBe('');
      const asNumber = await post(`loyalty_account/${source.pk}/create_transfer/`, {
        amount: 20,
        source_account: source.pk,
        destination_account: destination.pk,
      });
      expect(asNumber.status).toBe(204);
      expect((await get(`loyalty_account/${source.pk}/`)).body.balance).toBe('60.00');
      expect((await get(`loyalty_account/${destination.pk}/`)).body.balance).toBe('40.00');
    });

    it('takes account ids as numeric strings, as a form-encoded body sends them', async () => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '30' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const response = await post(`loyalty_account/${destination.pk}/create_transfer/`, {
        amount: '5',
        source_account: String(source.pk),
        destination_account: String(destination.pk),
      });
      expect(response.status).toBe(204);
      const bad = await post(`loyalty_account/${destination.pk}/create_transfer/`, {
        amount: '5',
        source_account: 'two',
        destination_account: String(destination.pk),
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.field_errors)).toEqual(['source_account']);
      const user = await customer();
      const created = await post('loyalty_account/', { user: String(user.id), currency: 'try', debit_allowed: 'true' });
      expect(created.status).toBe(201);
      expect(created.body.debit_allowed).toBe(true);
    });

    it.each([
      ['-5', 'negative', 'Ensure this amount is greater than 0.'],
      [0, 'zero', 'Ensure this amount is greater than 0.'],
      ['1.001', 'three decimals', 'Ensure that there are no more than 2 decimal places.'],
      ['1e3', 'an exponent', 'A valid amount is required, such as "20.00".'],
      ['NaN', 'not a number', 'A valid amount is required, such as "20.00".'],
      [10 ** 15, '10^15', 'Ensure this amount is not greater than 999999999999.99.'],
      ['twenty', 'a word', 'A valid amount is required, such as "20.00".'],
      [undefined, 'missing', 'This field is required.'],
    ])('refuses a transfer of %p (%s) with 400, moving nothing: %s', async (amount, _name, text) => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const before = await snapshot();
      const response = await post(`loyalty_account/${source.pk}/create_transfer/`, {
        amount,
        source_account: source.pk,
        destination_account: destination.pk,
      });
      expect(response.status).toBe(400);
      expect(response.body.field_errors).toEqual({ amount: [text] });
      expect(await snapshot()).toEqual(before);
    });

    describe('refusals of a transfer of 5.00 from an account holding 10.00', () => {
      let source: { pk: number };
      let usd: { pk: number };
      let third: { pk: number };
      let otherChannelAccount: number;

      beforeAll(async () => {
        const user = await customer();
        source = await fundedAccount(omnitron, { owner: user, balance: '10', currency: 'try' });
        usd = await fundedAccount(omnitron, { owner: user, balance: '0', currency: 'usd' });
        third = await fundedAccount(omnitron, { owner: await customer(), balance: '0', currency: 'try' });
        // In try as the source is: the transfer is refused for the channel, not for the currency.
        otherChannelAccount = (await fundedAccount(omnitron, { channel: otherChannelId, balance: '0' })).pk;
      });

      const transfer = (path: number, body: Record<string, unknown>) =>
        post(`loyalty_account/${path}/create_transfer/`, { amount: '5', ...body });

      /** [rule, the field refused, the request's path account and body, its message (any one text where the test names none)] */
      const refusals: [string, string, () => [number, Record<string, unknown>], unknown][] = [
        [
          'to an account of another currency',
          'destination_account',
          () => [source.pk, { source_account: source.pk, destination_account: usd.pk }],
          'The accounts must have the same currency.',
        ],
        [
          'to an unknown account',
          'destination_account',
          () => [source.pk, { source_account: source.pk, destination_account: 999_999 }],
          expect.any(String),
        ],
        [
          'to an account of another channel',
          'destination_account',
          () => [source.pk, { source_account: source.pk, destination_account: otherChannelAccount }],
          expect.any(String),
        ],
        [
          'from an unknown account',
          'source_account',
          () => [third.pk, { source_account: 999_999, destination_account: third.pk }],
          expect.any(String),
        ],
        [
          'of 10.01 (more than the balance): insufficient funds',
          'amount',
          () => [source.pk, { amount: '10.01', source_account: source.pk, destination_account: third.pk }],
          'Insufficient funds in the loyalty account.',
        ],
        [
          'when the path account takes no part in it',
          'non_field_errors',
          () => [source.pk, { source_account: usd.pk, destination_account: third.pk }],
          expect.any(String),
        ],
        [
          'from account id "nine" (not a number)',
          'source_account',
          () => [source.pk, { source_account: 'nine', destination_account: third.pk }],
          expect.any(String),
        ],
      ];
      it.each(refusals)('refuses a transfer %s: 400 on %s, moving nothing', async (_rule, field, request, message) => {
        const before = await snapshot();
        const response = await transfer(...request());
        expect(response.status).toBe(400);
        expect(Object.keys(response.body.field_errors)).toEqual([field]);
        expect(response.body.field_errors[field]).toEqual([message]);
        expect(await snapshot()).toEqual(before);
      });

      it('answers 404 to a transfer posted under an account of another channel, moving nothing', async () => {
        const before = await snapshot();
        const otherPath = await transfer(otherChannelAccount, {
          source_account: source.pk,
          destination_account: third.pk,
        });
        expect(otherPath.status).toBe(404);
        expect(await snapshot()).toEqual(before);
      });
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated key and body with the first response and moves once', async () => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const body = { amount: '20', source_account: source.pk, destination_account: destination.pk };
      const key = { 'Idempotency-Key': randomUUID() };
      const first = await post(`loyalty_account/${source.pk}/create_transfer/`, body, key);
      const second = await post(`loyalty_account/${source.pk}/create_transfer/`, { ...body, amount: 20 }, key);
      expect([first.status, second.status]).toEqual([204, 204]);
      expect((await get(`loyalty_account/${source.pk}/`)).body.balance).toBe('80.00');
      const conflict = await post(`loyalty_account/${source.pk}/create_transfer/`, { ...body, amount: '21' }, key);
      expect(conflict.status).toBe(409);
      expect(conflict.body).toEqual({
        detail: 'This idempotency key was already used for a different request.',
        code: 'idempotency_conflict',
      });
      expect((await get(`loyalty_account/${source.pk}/`)).body.balance).toBe('80.00');
    });

    it('moves once when ten requests with one key arrive together', async () => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const body = { amount: '7.50', source_account: source.pk, destination_account: destination.pk };
      const key = { 'Idempotency-Key': randomUUID() };
      const postingsBefore = (await snapshot()).postings;
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => post(`loyalty_account/${destination.pk}/create_transfer/`, body, key)),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(204));
      expect((await get(`loyalty_account/${source.pk}/`)).body.balance).toBe('92.50');
      expect((await get(`loyalty_account/${destination.pk}/`)).body.balance).toBe('7.50');
      expect((await snapshot()).postings).toBe(postingsBefore + 2);
    });

    it('replays an account creation and a balance change', async () => {
      const user = await customer();
      const key = { 'Idempotency-Key': `create-${randomUUID()}` };
      const body = { user: user.id, balance: '10', currency: 'try' };
      const first = await post('loyalty_account/', body, key);
      const again = await post('loyalty_account/', body, key);
      expect([first.status, again.status]).toEqual([201, 201]);
      expect(again.body.pk).toBe(first.body.pk);
      const patchKey = { 'Idempotency-Key': `patch-${randomUUID()}` };
      await patch(`loyalty_account/${first.body.pk}/`, { balance: '15' }, patchKey);
      await patch(`loyalty_account/${first.body.pk}/`, { balance: '15' }, patchKey);
      const history = await get(`loyalty_transfer/?account=${first.body.pk}`);
      expect(history.body.results.map((r: { amount: string }) => r.amount)).toEqual(['5.00', '10.00']);
      expect((await patch(`loyalty_account/${first.body.pk}/`, { balance: '16' }, patchKey)).status).toBe(409);
    });

    it.each([
      ['of 129 characters', 'k'.repeat(129)],
      ['with a space (not printable ASCII)', 'with space'],
    ])('refuses a transfer of 1.00 with a key %s, moving nothing', async (_rule, key) => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const body = { amount: '1', source_account: source.pk, destination_account: destination.pk };
      const before = await snapshot();
      const response = await post(`loyalty_account/${source.pk}/create_transfer/`, body, { 'Idempotency-Key': key });
      expect(response.status).toBe(400);
      expect(response.body.field_errors).toEqual({
        'Idempotency-Key': ['The Idempotency-Key header must be 1 to 128 printable ASCII characters.'],
      });
      expect(await snapshot()).toEqual(before);
    });

    it('takes a key of 128 characters', async () => {
      const source = await fundedAccount(omnitron, { owner: await customer(), balance: '100' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      const body = { amount: '1', source_account: source.pk, destination_account: destination.pk };
      const longest = await post(`loyalty_account/${source.pk}/create_transfer/`, body, {
        'Idempotency-Key': 'k'.repeat(128),
      });
      expect(longest.status).toBe(204);
    });
  });

  describe('loyalty_transfer', () => {
    it('lists postings newest first with the spec’s fields plus account, transaction uuid, kind and actor', async () => {
      const user = await customer();
      const source = await fundedAccount(omnitron, { owner: user, balance: '50' });
      const destination = await fundedAccount(omnitron, { owner: await customer(), balance: '0' });
      await post(`loyalty_account/${source.pk}/create_transfer/`, {
        amount: '14',
        source_account: source.pk,
        destination_account: destination.pk,
      });
      const response = await get(`loyalty_transfer/?account=${source.pk}`);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ count: 2, next: null, previous: null });
      const [transfer, opening] = response.body.results;
      expect(transfer).toEqual({
        pk: expect.any(Number),
        account: source.pk,
        amount: '-14.00',
        balance_after: '36.00',
        currency: 'try',
        created_date: expect.stringMatching(/Z$/),
        transaction: {
          uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
          kind: 'transfer',
          order: '',
          actor: expect.any(Number),
          created_date: expect.stringMatching(/Z$/),
        },
      });
      expect(opening).toMatchObject({ amount: '50.00', transaction: { kind: 'opening' } });
      const byUser = await get(`loyalty_transfer/?user=${user.id}`);
      expect(byUser.body.count).toBe(2);
      expect((await get(`loyalty_transfer/?user=${user.id}&currency=usd`)).body.count).toBe(0);
      const future = await get(`loyalty_transfer/?account=${source.pk}&created_date__gte=2999-01-01T00:00:00Z`);
      expect(future.body.count).toBe(0);
      const past = await get(`loyalty_transfer/?account=${source.pk}&created_date__lt=2000-01-01T00:00:00Z`);
      expect(past.body.count).toBe(0);
      const range = await get(
        `loyalty_transfer/?account=${source.pk}&created_date__gte=2000-01-01T00:00:00Z&created_date__lt=2999-01-01T00:00:00Z`,
      );
      expect(range.body.count).toBe(2);
      expect((await get('loyalty_transfer/?created_date__gte=yesterday')).status).toBe(400);
      // ISO 8601 week dates are valid ISO yet no Date reads them: refused, not a 500.
      expect((await get('loyalty_transfer/?created_date__gte=2026-W01')).status).toBe(400);
    });
  });

  describe('refunds', () => {
    let orderNumber: string;
    let owner: { id: number; email: string };
    let paymentUuid: string;
    let orderPk: number;

    beforeAll(async () => {
      owner = await customer();
      await fundedAccount(omnitron, { owner: owner, balance: '100' });
      const enabled = await patch('dynamic_settings/', { LOYALTY_MONEY_ENABLED: true });
      if (enabled.status !== 200) throw new Error(`enabling loyalty money failed: ${enabled.text}`);
      orderNumber = `24284835${Date.now()}`;
      orderPk = orders.add(CH, orderNumber, owner.id, 6000n).pk;
      const paid = await adminLedger(omnitron.app.get(LedgerService)).payOrder(CH, {
        order_number: orderNumber,
        amount_minor: 4000n,
      });
      paymentUuid = paid.transaction_uuid;
    });

    it('refunds part of a payment: the spec’s request and response shape', async () => {
      const response = await post('loyalty-transactions/refund/', { transaction_uuid: paymentUuid, amount: '20' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        pk: expect.any(Number),
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        amount: '20.00',
        order: orderPk,
        user: owner.id,
        user_email: owner.email,
        reference: orderNumber,
      });
      const transaction = await get(`loyalty-transactions/${response.body.uuid}/`);
      expect(transaction.status).toBe(200);
      expect(transaction.body).toMatchObject({
        uuid: response.body.uuid,
        kind: 'refund',
        amount: '20.00',
        order: orderPk,
        order_number: orderNumber,
        refunded_transaction: paymentUuid,
        actor: expect.any(Number),
      });
      expect(transaction.body.transfers.map((t: { amount: string }) => t.amount).sort()).toEqual(['-20.00', '20.00']);
      const byOrder = await get(`loyalty_transfer/?order=${orderNumber}&user=${owner.id}`);
      expect(byOrder.body.results[0]).toMatchObject({ amount: '20.00', transaction: { order: orderNumber } });
    });

    it('refunds to an invoice account when invoice_number is sent, and replays a repeated key', async () => {
      const key = { 'Idempotency-Key': randomUUID() };
      const body = { transaction_uuid: paymentUuid, amount: '5', invoice_number: `IN${Date.now()}` };
      const first = await post('loyalty-transactions/refund/', body, key);
      const again = await post('loyalty-transactions/refund/', body, key);
      expect(first.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const invoice = await get(`loyalty_account/?number=${body.invoice_number}`);
      expect(invoice.body.results).toEqual([expect.objectContaining({ user: owner.id, balance: '5.00' })]);
    });

    // 40.00 paid, 20.00 and 5.00 refunded above: 15.00 can still be refunded.
    it('refuses a refund of 15.01, more than can still be refunded (15.00), moving nothing', async () => {
      const before = await snapshot();
      const tooMuch = await post('loyalty-transactions/refund/', { transaction_uuid: paymentUuid, amount: '15.01' });
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.field_errors).toEqual({
        amount: ['The amount exceeds what can still be refunded (15.00).'],
      });
      expect(await snapshot()).toEqual(before);
    });

    it.each([
      ['1.00 of an unknown transaction', 'transaction_uuid', () => randomUUID(), '1'],
      ['1.00 of a transaction_uuid that is not a UUID', 'transaction_uuid', () => 'e74496da', '1'],
      ['1.005 (three decimals)', 'amount', () => paymentUuid, '1.005'],
    ])('refuses a refund of %s: 400 on %s, moving nothing', async (_rule, field, uuid, amount) => {
      const before = await snapshot();
      const refused = await post('loyalty-transactions/refund/', { transaction_uuid: uuid(), amount });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.field_errors)).toEqual([field]);
      expect(await snapshot()).toEqual(before);
    });

    it('cross-refunds an order: the spec’s shape, capped by the order total less all refunds', async () => {
      const response = await post('loyalty-transactions/cross-refund/', { order_number: orderNumber, amount: '20' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        pk: expect.any(Number),
        uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
        amount: '20.00',
        order: orderPk,
        user: owner.id,
        user_email: owner.email,
        reference: orderNumber,
      });
    });

    // 60 total: 20 + 5 refunded, 20 cross-refunded -> 15 left.
    it('refuses a cross-refund of 15.01, above the order total less all refunds (15.00 left)', async () => {
      const before = await snapshot();
      const tooMuch = await post('loyalty-transactions/cross-refund/', { order_number: orderNumber, amount: '15.01' });
      expect(tooMuch.status).toBe(400);
      expect(Object.keys(tooMuch.body.field_errors)).toEqual(['amount']);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses a cross-refund of 1.00 of an unknown order: Order not found.', async () => {
      const unknown = await post('loyalty-transactions/cross-refund/', { order_number: 'nope', amount: '1' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.field_errors).toEqual({ order_number: ['Order not found.'] });
    });

    it('lists transactions newest first', async () => {
      const list = await get(`loyalty-transactions/?order=${orderNumber}`);
      expect(list.status).toBe(200);
      expect(list.body.results.map((x: { kind: string }) => x.kind)).toEqual([
        'cross_refund',
        'refund',
        'refund',
        'order_payment',
      ]);
    });

    it.each([
      ['an unknown uuid', () => randomUUID()],
      ['a malformed uuid', () => 'not-a-uuid'],
    ])('answers 404 for %s', async (_what, uuid) => {
      expect((await get(`loyalty-transactions/${uuid()}/`)).status).toBe(404);
    });

    it('answers 403 for a transaction asked for with a token of another channel', async () => {
      const other = await call('GET', `loyalty-transactions/${paymentUuid}/`, undefined, {}, otherToken);
      expect(other.status).toBe(403);
    });
  });

  describe('dynamic_settings', () => {
    it('answers the whole object and changes only what a PATCH names', async () => {
      const before = await get('dynamic_settings/');
      expect(before.status).toBe(200);
      expect(Object.keys(before.body).sort()).toEqual(['LOYALTY_EARNING_RATE', 'LOYALTY_MONEY_ENABLED', 'VERIFY_SMS']);
      expect(before.body.LOYALTY_EARNING_RATE).toBe('0.00');
      const changed = await patch('dynamic_settings/', { VERIFY_SMS: false });
      expect(changed.body).toEqual({ ...before.body, VERIFY_SMS: false });
      const restored = await patch('dynamic_settings/', { VERIFY_SMS: true });
      expect(restored.body).toEqual({ ...before.body, VERIFY_SMS: true });
      const bad = await patch('dynamic_settings/', { LOYALTY_MONEY_ENABLED: 'maybe' });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.field_errors)).toEqual(['LOYALTY_MONEY_ENABLED']);
      const rate = await patch('dynamic_settings/', { LOYALTY_EARNING_RATE: 2.5 });
      expect(rate.body).toEqual({ ...before.body, LOYALTY_EARNING_RATE: '2.50' });
      expect((await patch('dynamic_settings/', { LOYALTY_EARNING_RATE: '0' })).body).toEqual(before.body);
    });

    it.each([
      ['100.01', 'above 100'],
      ['-1', 'below 0'],
      ['1.234', 'three decimals'],
      ['five', 'not a number'],
      [true, 'a boolean'],
    ])('refuses LOYALTY_EARNING_RATE %p (%s), changing nothing', async (wrong, _rule) => {
      const before = await get('dynamic_settings/');
      const refused = await patch('dynamic_settings/', { LOYALTY_EARNING_RATE: wrong });
      expect(refused.status).toBe(400);
      expect(Object.keys(refused.body.field_errors)).toEqual(['LOYALTY_EARNING_RATE']);
      expect((await get('dynamic_settings/')).body).toEqual(before.body);
    });
  });
});
