import { DataSource } from 'typeorm';
import { encodeCursor } from '@app/common';
import { adminAccounts, adminLedger } from './helpers/ledger-edge';
import { LedgerService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { OMNITRON_OPENAPI } from '../apps/omnitron/src/omnitron.app';
import { backOfficeRoutes, type BackOfficeRoute } from './helpers/route-table';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newChannel, newStaff } from './helpers/fixtures';

/**
 * Issue 12: every back-office route, called by a staff user limited to channel 2 through channel 2 with the ids
 * and filters of channel 1's rows, shows nothing of channel 1 and changes nothing there. The routes come from the
 * router's table; a route without a fixture below fails the first test with its name.
 */

// Strings that only channel 1's rows hold: a response through channel 2 that contains one has leaked.
const EMAIL = 'quill.marker@channel-one.test';
const PHONE = '+905558642097';
const NUMBER = '7319024816';
const NAME = 'Quillfeather';
/** Channel 1's opening balance. */
const AMOUNT = '8642.97';
/** Channel 1's LOYALTY_EARNING_RATE: no timestamp holds it, seconds never reach 97. */
const RATE = '97.31';
const MARKERS = [EMAIL, PHONE, NUMBER, NAME, AMOUNT, RATE];

/** Tables that belong to no channel; any other table must be channel-owned (or a child of one) and seeded below. */
const GLOBAL_TABLES = [
  'app_secret',
  'channels',
  'city',
  'country',
  'district',
  'lease',
  'rate_counter',
  'sandbox_card_charge',
  'staff_tokens',
  'staff_users',
  'township',
  'typeorm_migrations',
];

const LANG = { 'Accept-Language': 'en' };
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Seeded {
  user: number;
  /** The customer account; `accounts` adds the invoice account and the system accounts. */
  account: number;
  accounts: number[];
  bank: number;
  /** Every transaction uuid of channel 1; the first is the order payment. */
  paymentUuid: string;
  transactionUuids: string[];
  loyaltyOrder: { pk: number; number: string };
  cardOrder: { pk: number; number: string };
  /** Channel 1's products: the marker product and the demo products the migration adds. */
  product: number;
  products: number[];
  localAccountNumber: string;
  /** Channel 1's Idempotency-Keys, one per operation: channel 2 may use the same keys for its own requests. */
  keys: Record<'create' | 'update' | 'transfer' | 'refund' | 'crossRefund', string>;
  /** Channel 2's own rows, for the calls that must succeed there. */
  two: { user: number; account: number; bank: number; paymentUuid: string; orderNumber: string };
}

/** One request of a route: path parameters besides channel_id, query, headers, JSON body, the status it must answer. */
interface Call {
  params?: Record<string, string | number>;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  body?: unknown;
  status?: number;
}

type Fixture = (ids: Seeded) => Call[];

const DATE_FROM = '2000-01-01T00:00:00Z';
const DATE_TO = '2100-01-01T00:00:00Z';
const PAGING = { page: 1, page_size: 100 };
/** A keyset list's cursor at a channel-1 row: rows of the list around it, never its values (balance, number). */
const cursorAt = (id: number, direction: 'after' | 'before') => ({ cursor: encodeCursor({ direction, id }) });

/** One call without a query, then one per query parameter alone: a filter that ignores the channel shows up alone. */
function eachQuery(query: Record<string, string | number>): Call[] {
  return [{}, ...Object.entries(query).map(([key, value]) => ({ query: { [key]: value } }))];
}

const R = '/api/v1/remote/:channel_id';
const G = '/api/v1/geography';

/** The geography routes: global rows, so every call of a channel-limited staff user must answer 403. */
function geographyFixtures(): Record<string, Fixture> {
  const fixtures: Record<string, Fixture> = {};
  const resources: [string, Record<string, string | number>, unknown][] = [
    ['countries', { code: 'TR' }, { code: 'ZZ', name: NAME }],
    ['cities', { country: 1, retailstore__isnull: 'true' }, { country: 1, name: NAME }],
    ['townships', { city: 1, retailstore__isnull: 'true' }, { city: 1, name: NAME }],
    ['districts', { township: 1 }, { township: 1, name: NAME }],
  ];
  for (const [path, filters, body] of resources) {
    fixtures[`GET ${G}/${path}`] = () => eachQuery({ ...filters, is_active: 'true', name: 'a', ...PAGING });
    fixtures[`POST ${G}/${path}`] = () => [{ body }];
    fixtures[`GET ${G}/${path}/:pk`] = () => [{ params: { pk: 1 } }];
    fixtures[`PATCH ${G}/${path}/:pk`] = () => [{ params: { pk: 1 }, body: { name: NAME } }];
    fixtures[`POST ${G}/${path}/:pk/deactivate`] = () => [{ params: { pk: 1 }, body: {} }];
  }
  return fixtures;
}

/** Channel-1 ids and filters per route (`METHOD /path` as the router names it). */
const FIXTURES: Record<string, Fixture> = {
  [`GET ${R}/users`]: (c) => eachQuery({ pk: c.user, email: EMAIL, email__icontains: 'quill.marker', ...PAGING }),
  [`GET ${R}/sms_messages`]: () => eachQuery(PAGING),
  [`GET ${R}/loyalty_provider_accounts`]: () => eachQuery({ email: EMAIL, ...PAGING }),
  [`PATCH ${R}/loyalty_provider_accounts/:account_number`]: (c) => [
    { params: { account_number: c.localAccountNumber }, body: { points: 7 }, status: 404 },
  ],
  [`POST ${R}/loyalty_account`]: (c) => [
    { body: { user: c.user, currency: 'try' }, status: 400 },
    { body: { user_email: EMAIL, currency: 'try' }, status: 400 },
    { body: { user: c.user, user_email: EMAIL, currency: 'usd', balance: '1.00' }, status: 400 },
    // Channel 2's own account under channel 1's key: a key is the channel's, not a replay of channel 1's answer.
    { body: { user: c.two.user, currency: 'usd' }, headers: { 'Idempotency-Key': c.keys.create }, status: 201 },
  ],
  [`GET ${R}/loyalty_account`]: (c) =>
    eachQuery({
      user: c.user,
      user_email: EMAIL,
      currency: 'try',
      number: `ACCT${NUMBER}`,
      ordering: '-balance',
      ...PAGING,
      ...cursorAt(c.account, 'after'),
    }),
  [`GET ${R}/loyalty_account/:pk`]: (c) => c.accounts.map((pk) => ({ params: { pk }, status: 404 })),
  [`PATCH ${R}/loyalty_account/:pk`]: (c) => [
    { params: { pk: c.account }, body: { balance: '1.00' }, status: 404 },
    { params: { pk: c.account }, body: { debit_allowed: true }, status: 404 },
    { params: { pk: c.bank }, body: { balance: '0.00' }, status: 404 },
    {
      params: { pk: c.two.account },
      body: { debit_allowed: false },
      headers: { 'Idempotency-Key': c.keys.update },
      status: 200,
    },
  ],
  [`POST ${R}/loyalty_account/:pk/create_transfer`]: (c) => [
    // From channel 2's own account to channel 1's: the destination is unknown here.
    {
      params: { pk: c.two.account },
      body: { source_account: c.two.account, destination_account: c.account, amount: '1.00' },
    },
    // Channel 1's accounts as the source, with channel 2's in the path.
    {
      params: { pk: c.two.account },
      body: { source_account: c.account, destination_account: c.two.account, amount: '1.00' },
    },
    {
      params: { pk: c.two.account },
      body: { source_account: c.bank, destination_account: c.two.account, amount: '1.00' },
    },
    // Channel 2's own transfer under channel 1's key.
    {
      params: { pk: c.two.account },
      body: { source_account: c.two.account, destination_account: c.two.bank, amount: '1.00' },
      headers: { 'Idempotency-Key': c.keys.transfer },
      status: 204,
    },
    // Channel 1's account in the path.
    {
      params: { pk: c.account },
      body: { source_account: c.account, destination_account: c.two.account, amount: '1.00' },
      status: 404,
    },
  ],
  [`GET ${R}/loyalty_transfer`]: (c) =>
    eachQuery({
      account: c.account,
      user: c.user,
      order: c.loyaltyOrder.number,
      currency: 'try',
      created_date__gte: DATE_FROM,
      created_date__lt: DATE_TO,
      ...PAGING,
      ...cursorAt(1, 'before'),
    }),
  [`GET ${R}/loyalty-transactions`]: (c) =>
    eachQuery({
      order: c.loyaltyOrder.number,
      user: c.user,
      kind: 'order_payment',
      ...PAGING,
      ...cursorAt(1, 'before'),
    }),
  [`GET ${R}/loyalty-transactions/:uuid`]: (c) => c.transactionUuids.map((uuid) => ({ params: { uuid }, status: 404 })),
  [`POST ${R}/loyalty-transactions/refund`]: (c) => [
    { body: { transaction_uuid: c.paymentUuid, amount: '1.00' }, status: 400 },
    { body: { transaction_uuid: c.paymentUuid, amount: '1.00', invoice_number: 'INVOICE-ONE' }, status: 400 },
    // Channel 2's own payment, refunded to an invoice number channel 1 uses: a new account of channel 2.
    {
      body: { transaction_uuid: c.two.paymentUuid, amount: '1.00', invoice_number: 'INVOICE-ONE' },
      headers: { 'Idempotency-Key': c.keys.refund },
      status: 200,
    },
  ],
  [`POST ${R}/loyalty-transactions/cross-refund`]: (c) => [
    { body: { order_number: c.loyaltyOrder.number, amount: '1.00' }, status: 400 },
    { body: { order_number: c.cardOrder.number, amount: '1.00', invoice_number: 'INVOICE-ONE' }, status: 400 },
    {
      body: { order_number: c.two.orderNumber, amount: '1.00', invoice_number: 'INVOICE-ONE' },
      headers: { 'Idempotency-Key': c.keys.crossRefund },
      status: 200,
    },
  ],
  [`GET ${R}/dynamic_settings`]: () => [{ status: 200 }],
  [`PATCH ${R}/dynamic_settings`]: () => [{ body: { LOYALTY_EARNING_RATE: '2.50' }, status: 200 }],
  [`GET ${R}/products`]: () => eachQuery({ sku: `SKU-${NUMBER}`, ...PAGING }),
  [`POST ${R}/products`]: () => [
    { body: { sku: 'CH2-NEW', name: 'Second channel mug', stock: 3, prices: [{ currency: 'try', amount: '9.00' }] } },
  ],
  [`GET ${R}/products/:pk`]: (c) => c.products.map((pk) => ({ params: { pk }, status: 404 })),
  [`PATCH ${R}/products/:pk`]: (c) => [
    { params: { pk: c.product }, body: { stock: 1 }, status: 404 },
    { params: { pk: c.product }, body: { prices: [{ currency: 'try', amount: '1.00' }] }, status: 404 },
  ],
  [`GET ${R}/orders`]: (c) =>
    eachQuery({
      number: c.loyaltyOrder.number,
      user: c.user,
      user_email: EMAIL,
      status: 'completed',
      created_date__gte: DATE_FROM,
      created_date__lt: DATE_TO,
      ordering: '-total_amount',
      ...PAGING,
    }),
  [`GET ${R}/orders/:pk`]: (c) => [c.loyaltyOrder.pk, c.cardOrder.pk].map((pk) => ({ params: { pk }, status: 404 })),
  // Global resources: a channel-limited staff user is refused (403) whatever it sends.
  ...geographyFixtures(),
  [`POST ${R}/orders/:pk/settle`]: (c) =>
    [c.loyaltyOrder.pk, c.cardOrder.pk].flatMap((pk) =>
      (['complete', 'cancel'] as const).map((action) => ({
        params: { pk },
        body: { action, reason: 'settled from another channel' },
        status: 404,
      })),
    ),
};

describe('channel isolation of the back office', () => {
  let omnitron: TestApp;
  let db: DataSource;
  let routes: BackOfficeRoute[];
  let ids: Seeded;
  let two: number;
  let twoToken: string;
  let superToken: string;

  async function insert(table: string, row: Record<string, unknown>): Promise<Record<string, any>> {
    const columns = Object.keys(row);
    const values = Object.values(row).map((v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : v));
    const rows = await db.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
       VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
      values,
    );
    return rows[0];
  }

  async function user(channelId: number, email: string, name: string, phone: string): Promise<number> {
    const now = new Date();
    const row = await insert('users', {
      channel_id: channelId,
      username: `u-${channelId}-${email}`,
      email,
      email_lower: email,
      password_hash: 'not-a-hash',
      first_name: name,
      last_name: name,
      phone,
      attributes: { note: name },
      date_joined: now,
      modified_date: now,
    });
    return row.id;
  }

  async function order(channelId: number, userId: number, number: string, loyalty: string, card: string, item: string) {
    const total = (Number(loyalty) + Number(card)).toFixed(2);
    const row = await insert('orders', {
      number,
      channel_id: channelId,
      user_id: userId,
      currency: 'try',
      items: [{ product: 1, sku: `SKU-${number}`, name: item, quantity: 1, unit_price: total, total_amount: total }],
      total_amount: total,
      loyalty_amount: loyalty,
      card_amount: card,
      status: 'completed',
      payment_option: card === '0.00' ? 'loyalty_money' : 'credit_card',
    });
    return { pk: row.id as number, number };
  }

  /** Channel 1: a marker in every kind of row the schema has. */
  async function seedChannelOne(): Promise<Omit<Seeded, 'two'>> {
    const now = new Date();
    const userId = await user(1, EMAIL, NAME, PHONE);
    await insert('sessions', {
      id_hash: NUMBER.padEnd(64, '0'),
      channel_id: 1,
      user_id: userId,
      data: { email: EMAIL },
      created_at: now,
      expires_at: new Date(now.getTime() + 86_400_000),
    });
    // Geography is global: the demo's Moda, Kadıköy, İstanbul.
    const [geo] = await db.query(
      `SELECT k.id AS country, c.id AS city, t.id AS township, d.id AS district
         FROM district d JOIN township t ON t.id = d.township_id JOIN city c ON c.id = t.city_id
         JOIN country k ON k.id = c.country_id WHERE d.name = 'Moda'`,
    );
    await insert('address', {
      channel_id: 1,
      user_id: userId,
      title: NAME,
      first_name: NAME,
      last_name: NAME,
      line: `${NAME} street ${NUMBER}`,
      country_id: geo.country,
      city_id: geo.city,
      township_id: geo.township,
      district_id: geo.district,
      postcode: '34710',
      phone_number: PHONE,
      email: EMAIL,
      notes: NAME,
      is_corporate: false,
      company_name: '',
      tax_office: '',
      tax_no: NUMBER,
    });
    const product = await insert('product', {
      channel_id: 1,
      sku: `SKU-${NUMBER}`,
      name: `${NAME} lamp`,
      stock: 5,
      active: true,
    });
    await insert('product_price', { product_id: product.id, currency: 'try', amount: AMOUNT });
    const basket = await insert('basket', { channel_id: 1, user_id: userId });
    await insert('basket_item', { basket_id: basket.id, product_id: product.id, quantity: 1, attributes: { NAME } });
    const loyaltyOrder = await order(1, userId, `${NUMBER}000001`, '100.00', '0.00', `${NAME} lamp`);
    const cardOrder = await order(1, userId, `${NUMBER}000002`, '0.00', '50.00', `${NAME} lamp`);
    await insert('card_charge', {
      order_id: cardOrder.pk,
      gateway: 'sandbox',
      reference: `ref-${NUMBER}`,
      amount: '50.00',
      interest_amount: '0.00',
      currency: 'try',
      installment_count: 1,
      status: 'approved',
      card_last4: '4816',
      card_type: 'visa',
    });
    const localAccountNumber = `LP${NUMBER}`;
    await insert('loyalty_card', {
      channel_id: 1,
      user_id: userId,
      number: PHONE,
      account_number: localAccountNumber,
      attributes: { email: EMAIL },
    });
    await insert('local_loyalty_account', {
      channel_id: 1,
      account_number: localAccountNumber,
      email: EMAIL,
      phone: PHONE,
      first_name: NAME,
      last_name: NAME,
      gender: 'female',
      points: 4816,
    });
    await insert('sms_message', { channel_id: 1, phone: PHONE, body: `${NAME}, your code is ${NUMBER}` });
    await insert('sms_send', { channel_id: 1, user_id: userId, phone: PHONE, sent_at: now });
    await insert('verified_phone', { channel_id: 1, user_id: userId, phone: PHONE, verified_at: now });

    // The ledger's rows through its own services: accounts, transactions, postings, an idempotency key.
    await omnitron.app
      .get(DynamicSettingsService)
      .patch(1, { LOYALTY_MONEY_ENABLED: true, LOYALTY_EARNING_RATE: RATE });
    const ledger = adminLedger(omnitron.app.get(LedgerService));
    const accountService = adminAccounts(omnitron.app.get(LoyaltyAccountService));
    const keys = {
      create: `${NUMBER}-create`,
      update: `${NUMBER}-update`,
      transfer: `${NUMBER}-transfer`,
      refund: `${NUMBER}-refund`,
      crossRefund: `${NUMBER}-cross-refund`,
    };
    const account = await accountService.create(
      1,
      { user: userId, currency: 'try', number: `ACCT${NUMBER}`, balance: AMOUNT },
      { idempotencyKey: keys.create },
    );
    await accountService.update(1, account.pk, { debit_allowed: false }, { idempotencyKey: keys.update });
    const payment = await ledger.payOrder(1, { order_number: loyaltyOrder.number, amount_minor: 10_000n });
    const bank = await db.query(`SELECT id FROM loyalty_account WHERE channel_id = 1 AND kind = 'bank'`);
    await ledger.transferOnly(
      1,
      { source_account: account.pk, destination_account: bank[0].id, amount: '1.00' },
      { idempotencyKey: keys.transfer },
    );
    await ledger.refund(
      1,
      { transaction_uuid: payment.transaction_uuid, amount: '10.00', invoice_number: 'INVOICE-ONE' },
      { idempotencyKey: keys.refund },
    );
    await ledger.crossRefund(
      1,
      { order_number: cardOrder.number, amount: '5.00' },
      { idempotencyKey: keys.crossRefund },
    );

    const accounts: { id: number; kind: string }[] = await db.query(
      `SELECT id, kind FROM loyalty_account WHERE channel_id = 1 ORDER BY id`,
    );
    const transactions: { uuid: string }[] = await db.query(
      `SELECT uuid FROM loyalty_transaction WHERE channel_id = 1 ORDER BY (kind = 'order_payment') DESC, id`,
    );
    const products: { id: number }[] = await db.query(`SELECT id FROM product WHERE channel_id = 1 ORDER BY id`);
    return {
      user: userId,
      account: account.pk,
      accounts: accounts.map((a) => a.id),
      bank: accounts.find((a) => a.kind === 'bank')!.id,
      paymentUuid: payment.transaction_uuid,
      transactionUuids: transactions.map((t) => t.uuid),
      loyaltyOrder,
      cardOrder,
      product: product.id,
      products: products.map((p) => p.id),
      localAccountNumber,
      keys,
    };
  }

  /** Channel 2 has data of its own, so "nothing leaked" is not "nothing there". */
  async function seedChannelTwo(): Promise<Seeded['two']> {
    const userId = await user(two, 'buyer@channel-two.test', 'Bertha', '+905551110022');
    await insert('product', { channel_id: two, sku: 'CH2-MUG', name: 'Channel two mug', stock: 9, active: true });
    await insert('sms_message', { channel_id: two, phone: '+905551110022', body: 'Channel two code 1234' });
    await insert('local_loyalty_account', {
      channel_id: two,
      account_number: 'LP5500000001',
      email: 'buyer@channel-two.test',
      phone: '+905551110022',
      first_name: 'Bertha',
      last_name: 'Two',
      gender: 'female',
      points: 12,
    });
    await omnitron.app.get(DynamicSettingsService).patch(two, { LOYALTY_MONEY_ENABLED: true });
    const account = await fundedAccount(omnitron, { owner: userId, balance: '50.00', channel: two });
    const paid = await order(two, userId, '5500000000000001', '20.00', '0.00', 'Channel two mug');
    const payment = await adminLedger(omnitron.app.get(LedgerService)).payOrder(two, {
      order_number: paid.number,
      amount_minor: 2_000n,
    });
    const bank: { id: number }[] = await db.query(
      `SELECT id FROM loyalty_account WHERE channel_id = $1 AND kind = 'bank' AND currency = 'try'`,
      [two],
    );
    return {
      user: userId,
      account: account.pk,
      bank: bank[0].id,
      paymentUuid: payment.transaction_uuid,
      orderNumber: paid.number,
    };
  }

  /** The tables of the schema: channel-owned (a channel_id column), children of one (by foreign key), global. */
  async function schemaTables(): Promise<{
    owned: string[];
    children: Map<string, [string, string]>;
    other: string[];
  }> {
    const tables: { name: string }[] = await db.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const withChannel: { name: string }[] = await db.query(
      `SELECT table_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'channel_id'`,
    );
    const owned = new Set(withChannel.map((t) => t.name));
    const keys: { child: string; parent: string; column: string }[] = await db.query(
      `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS column
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        WHERE c.contype = 'f' ORDER BY 1, 3`,
    );
    const children = new Map<string, [string, string]>();
    for (const key of keys) {
      if (!owned.has(key.child) && owned.has(key.parent) && !children.has(key.child)) {
        children.set(key.child, [key.parent, key.column]);
      }
    }
    const other = tables.map((t) => t.name).filter((t) => !owned.has(t) && !children.has(t));
    return { owned: [...owned].sort(), children, other };
  }

  let snapshotSql: string;

  /** Every row of channel 1, by table, as JSON text: one statement, so it is cheap to take around every route. */
  async function snapshot(): Promise<Record<string, string[]>> {
    const rows: { t: string; r: string }[] = await db.query(snapshotSql);
    const byTable: Record<string, string[]> = {};
    for (const { t, r } of rows) (byTable[t] ??= []).push(r);
    return byTable;
  }

  function changedTables(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...names].filter((t) => JSON.stringify(before[t] ?? []) !== JSON.stringify(after[t] ?? [])).sort();
  }

  function send(route: BackOfficeRoute, channel: number, call: Call, token?: string) {
    let path = route.url.replace(':channel_id', String(channel));
    for (const param of route.pathParams) {
      path = path.replace(`:${param}`, encodeURIComponent(String(call.params?.[param])));
    }
    const query = new URLSearchParams(
      Object.entries(call.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
    );
    const search = query.size > 0 ? `?${query.toString()}` : '';
    return omnitron.http.request(`${path}/${search}`, {
      method: route.method,
      json: WRITE_METHODS.has(route.method) ? (call.body ?? {}) : undefined,
      headers: { ...LANG, ...call.headers, ...(token ? { Authorization: `Token ${token}` } : {}) },
    });
  }

  const describeCall = (call: Call): string =>
    JSON.stringify({ params: call.params, query: call.query, headers: call.headers, body: call.body });

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    db = omnitron.app.get(DataSource);
    routes = backOfficeRoutes(omnitron.app, OMNITRON_OPENAPI);
    two = (await newChannel(omnitron, { name: 'Second', defaultCurrency: 'try', currencies: ['try', 'usd'] })).id;
    twoToken = (await newStaff(omnitron, { channels: [two] })).token;
    superToken = (await newStaff(omnitron, { superuser: true })).token;
    const { owned, children } = await schemaTables();
    snapshotSql = [
      `SELECT 'channels' AS t, row_to_json(x)::text AS r FROM "channels" x WHERE x.id = 1`,
      ...owned.map((t) => `SELECT '${t}', row_to_json(x)::text FROM "${t}" x WHERE x.channel_id = 1`),
      ...[...children].map(
        ([t, [parent, column]]) =>
          `SELECT '${t}', row_to_json(x)::text FROM "${t}" x JOIN "${parent}" p ON p.id = x."${column}" WHERE p.channel_id = 1`,
      ),
    ]
      .join(' UNION ALL ')
      .concat(' ORDER BY 1, 2');
    ids = { ...(await seedChannelOne()), two: await seedChannelTwo() };
  });

  afterAll(async () => {
    await omnitron?.close();
  });

  it('has a channel-1 fixture for every path and query parameter of every route, and an OpenAPI operation', () => {
    expect(routes.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const route of routes) {
      if (!route.operation) problems.push(`${route.name}: no operation in the OpenAPI document`);
      const fixture = FIXTURES[route.name];
      if (!fixture) {
        problems.push(`${route.name}: no channel-1 fixture in FIXTURES`);
        continue;
      }
      const calls = fixture(ids);
      if (calls.length === 0) problems.push(`${route.name}: the fixture makes no call`);
      for (const call of calls) {
        const missing = route.pathParams.filter((p) => call.params?.[p] === undefined);
        if (missing.length > 0) problems.push(`${route.name}: a call without path parameter(s) ${missing.join(', ')}`);
        if (WRITE_METHODS.has(route.method) && call.body === undefined)
          problems.push(`${route.name}: a call without a body`);
      }
      for (const param of route.queryParams) {
        if (!calls.some((call) => call.query && param in call.query)) {
          problems.push(`${route.name}: no call with query parameter ${param}`);
        }
      }
      for (const header of route.headerParams) {
        if (!calls.some((call) => call.headers && header in call.headers)) {
          problems.push(`${route.name}: no call with header ${header}`);
        }
      }
    }
    for (const name of Object.keys(FIXTURES)) {
      if (!routes.some((route) => route.name === name)) problems.push(`${name}: a fixture for no route`);
    }
    expect(problems).toEqual([]);
  });

  it('has channel 1 seeded in every channel-owned table, with the markers', async () => {
    const { owned, children, other } = await schemaTables();
    expect(other.sort()).toEqual(GLOBAL_TABLES);
    const rows = await snapshot();
    const empty = [...owned, ...children.keys()].filter((t) => !rows[t]?.length);
    expect(empty).toEqual([]);
    const text = JSON.stringify(rows);
    expect(MARKERS.filter((m) => !text.includes(m))).toEqual([]);
  });

  it('lets a marker be seen where it may be: the test can tell a leak', async () => {
    const users = routes.find((r) => r.name === `GET ${R}/users`)!;
    const asSuperuser = await send(users, 1, { query: { email: EMAIL } }, superToken);
    expect(asSuperuser.status).toBe(200);
    expect(asSuperuser.text).toContain(EMAIL);
    const accounts = routes.find((r) => r.name === `GET ${R}/loyalty_account`)!;
    const own = await send(accounts, two, {}, twoToken);
    expect(own.status).toBe(200);
    expect(own.body.results.map((a: { pk: number }) => a.pk)).toContain(ids.two.account);
  });

  it('answers 401 without a token and 403 to the channel-2 staff user through channel 1, on every route', async () => {
    const before = await snapshot();
    const problems: string[] = [];
    for (const route of routes) {
      const call = FIXTURES[route.name]?.(ids)[0];
      if (!call) continue; // reported by the fixture test
      const anonymous = await send(route, two, call);
      if (anonymous.status !== 401) problems.push(`${route.name} without a token: ${anonymous.status}`);
      const otherChannel = await send(route, 1, call, twoToken);
      if (otherChannel.status !== 403) problems.push(`${route.name} through channel 1: ${otherChannel.status}`);
    }
    expect(problems).toEqual([]);
    expect(changedTables(before, await snapshot())).toEqual([]);
  });

  it('shows the channel-2 staff user nothing of channel 1 and changes nothing there, on every route', async () => {
    const initial = await snapshot();
    const problems: string[] = [];
    for (const route of routes) {
      const fixture = FIXTURES[route.name];
      if (!fixture) continue; // reported by the fixture test
      const before = await snapshot();
      for (const call of fixture(ids)) {
        const response = await send(route, two, call, twoToken);
        const where = `${route.name} ${describeCall(call)}`;
        const expected = route.superuserOnly ? 403 : call.status;
        if (response.status >= 500) problems.push(`${where}: ${response.status}`);
        else if (expected !== undefined && response.status !== expected) {
          problems.push(`${where}: ${response.status}, expected ${expected}`);
        }
        const leaked = [...MARKERS, ...ids.transactionUuids].filter((m) => response.text.includes(m));
        if (leaked.length > 0) problems.push(`${where}: the response holds channel 1's ${leaked.join(', ')}`);
      }
      const changed = changedTables(before, await snapshot());
      if (changed.length > 0) problems.push(`${route.name}: changed channel 1's ${changed.join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(changedTables(initial, await snapshot())).toEqual([]);
  });
});
