import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { StaffService } from '@app/identity';
import { LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createStorefrontApp } from '../../apps/storefront/src/storefront.app';
import { createBenchDatabase } from './bench-database';

/**
 * `npm run bench:scale`: whether the ledger's reads grow with its history (issue 21). The ledger is grown by SQL
 * (balanced SALE/BANK transactions, and one customer's own credits with a consistent balance-after chain, 2% of the
 * postings: 100,000 of 5,000,000) through the real triggers, so the kept counts and system balances are the ones the
 * app keeps. At each size every read is called over HTTP one at a time, SAMPLES times after two warm-up calls, and
 * the median printed, beside create_transfer. Then the time the bigint migration's rewrite of the postings table
 * takes at that size. Settings (bounded): SCALE_POSTINGS (default 5,000,000, at most 20,000,000),
 * SCALE_GROW_SECONDS (default 900: growing stops there, and the table says how far it got); SCALE_KEEP_DATABASE=1
 * leaves the grown database for EXPLAIN (its URL printed). Loopback only.
 */
const TARGET = bounded(process.env.SCALE_POSTINGS, 5_000_000, 10_000, 20_000_000);
const GROW_SECONDS = bounded(process.env.SCALE_GROW_SECONDS, 900, 10, 3600);
const SAMPLES = 15;
const SIZES = [0, Math.round(TARGET / 10), Math.round(TARGET * 0.4), TARGET];
/** The heavy customer's share of the postings. */
const CUSTOMER_SHARE = 0.02;
/** Postings per growing statement (one transaction: two postings per ledger transaction). */
const BATCH = 200_000;
const REQUEST_TIMEOUT_MS = 30_000;
const BASE_TIME = Date.parse('2025-01-01T00:00:00Z');

function bounded(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Math.trunc(Number(value ?? fallback));
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : fallback;
}

interface Read {
  name: string;
  /** Documented to grow: an exact count of a date range or an order, or an OFFSET (docs/ledger.md). */
  exempt?: string;
  url: () => string;
  headers: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: () => unknown;
}

async function request(read: Read): Promise<number> {
  const start = performance.now();
  const response = await fetch(read.url(), {
    method: read.method ?? 'GET',
    headers: {
      Accept: 'application/json',
      ...read.headers,
      ...(read.body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: read.body ? JSON.stringify(read.body()) : undefined,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (response.status >= 300) throw new Error(`${read.name}: ${response.status}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('loyalty_scale');
  const config = AppConfig.fromEnv({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '10',
    LOG_LEVEL: 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
  });
  // Growing, on a connection of its own without the app's statement timeout.
  const grower = new Client({ connectionString: database.url });
  grower.on('error', () => undefined); // the database is dropped under it at the end
  await grower.connect();
  const omnitron = await createOmnitronApp(config);
  await omnitron.listen({ port: 0, host: '127.0.0.1' });
  const storefront = await createStorefrontApp(config);
  await storefront.listen({ port: 0, host: '127.0.0.1' });
  try {
    const admin = `${(await omnitron.getUrl()).replace('[::1]', '127.0.0.1')}/api/v1/remote/1`;
    const shop = (await storefront.getUrl()).replace('[::1]', '127.0.0.1');
    const dataSource = omnitron.get(DataSource);
    await omnitron.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });

    // The heavy customer signs up through the storefront (a session), the others are rows.
    const email = 'scale-heavy@example.com';
    const registered = await fetch(`${shop}/users/registration/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email, password: 'bench-password', first_name: 'Scale', last_name: 'Heavy' }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const session = /osessionid=(\w+)/.exec(registered.headers.get('set-cookie') ?? '')?.[1];
    if (registered.status !== 201 || !session) throw new Error(`registration: ${registered.status}`);
    const [heavyUser] = await dataSource.query<{ id: number }[]>(`SELECT id FROM users WHERE email_lower = $1`, [
      email,
    ]);
    const accounts = omnitron.get(LoyaltyAccountService);
    const heavy = await accounts.create(1, { userId: heavyUser.id, currency: 'try', balance: 0n });
    const light: number[] = [];
    for (let i = 0; i < 2; i++) {
      const [row] = await dataSource.query<{ id: number }[]>(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, $1, $2, $2, '!', now(), now()) RETURNING id`,
        [`scale${i}`, `scale${i}@example.com`],
      );
      light.push((await accounts.create(1, { userId: row.id, currency: 'try', balance: 100_000_000n })).pk);
    }
    await dataSource.query(
      `INSERT INTO loyalty_account (channel_id, kind, number, user_id, currency, balance, debit_allowed, created_date,
         modified_date) VALUES (1, 'sale', $1, NULL, 'try', 0, true, now(), now()) ON CONFLICT DO NOTHING`,
      [config.loyaltySaleAccountNumber],
    );
    const system = await dataSource.query<{ kind: string; id: number }[]>(
      `SELECT kind, id FROM loyalty_account WHERE channel_id = 1 AND kind IN ('sale', 'bank') AND currency = 'try'`,
    );
    const sale = system.find((a) => a.kind === 'sale')!.id;
    const bank = system.find((a) => a.kind === 'bank')!.id;

    await omnitron
      .get(StaffService)
      .create({ username: 'scale', password: 'bench-password', superuser: true, channelIds: [] });
    const login = await fetch(`${admin.replace('/remote/1', '')}/auth/login/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'scale', password: 'bench-password' }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const token = ((await login.json()) as { key: string }).key;
    const staff = { Authorization: `Token ${token}` };
    const customer = { Cookie: `osessionid=${session}`, 'x-currency': 'try' };

    // Following `next` ten times from the first page: the link reached, found again at each size.
    let tenthNext = '';
    const findTenthNext = async (): Promise<void> => {
      let link = `${admin}/loyalty_transfer/`;
      for (let i = 0; i < 10; i++) {
        const response = await fetch(link, { headers: staff, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        const next = ((await response.json()) as { next: string | null }).next;
        if (!next) break;
        link = next;
      }
      tenthNext = link;
    };
    const day = (n: number) => new Date(BASE_TIME + n * 86_400_000).toISOString();
    const get = (name: string, url: string, headers: Record<string, string> = staff, exempt?: string): Read => ({
      name,
      url: () => url,
      headers,
      exempt,
    });
    const reads: Read[] = [
      get('GET SALE account', `${admin}/loyalty_account/${sale}/`),
      get('GET BANK account', `${admin}/loyalty_account/${bank}/`),
      get('account list', `${admin}/loyalty_account/`),
      get('account list ?user=', `${admin}/loyalty_account/?user=${heavyUser.id}`),
      get('account list ?user_email=', `${admin}/loyalty_account/?user_email=${encodeURIComponent(email)}`),
      get('account list ?currency=', `${admin}/loyalty_account/?currency=try`),
      get('account list ?number=', `${admin}/loyalty_account/?number=${encodeURIComponent(heavy.number)}`),
      get('account list ?ordering=-created_date', `${admin}/loyalty_account/?ordering=-created_date`),
      get('transfer list, page 1', `${admin}/loyalty_transfer/`),
      { name: 'transfer list, next followed 10 times', url: () => tenthNext, headers: staff },
      get('transfer list ?page=500', `${admin}/loyalty_transfer/?page=500`, staff, 'OFFSET: bounded by PAGE_MAX'),
      get('transfer list ?account=', `${admin}/loyalty_transfer/?account=${heavy.pk}`),
      get('transfer list ?user=', `${admin}/loyalty_transfer/?user=${heavyUser.id}`),
      get('transfer list ?currency=', `${admin}/loyalty_transfer/?currency=try`),
      get('transfer list ?order=', `${admin}/loyalty_transfer/?order=SCALE-1000`, staff, 'order count: counted'),
      get(
        'transfer list, one day (created_date)',
        `${admin}/loyalty_transfer/?created_date__gte=${day(1)}&created_date__lt=${day(2)}`,
        staff,
        'date-range count: counted',
      ),
      get('transaction list', `${admin}/loyalty-transactions/`),
      get('transaction list ?user=', `${admin}/loyalty-transactions/?user=${heavyUser.id}`),
      get('storefront /account/loyalty/', `${shop}/account/loyalty/`, customer),
      get('storefront balance', `${shop}/account/loyalty-account-balance/`, customer),
      {
        name: 'POST create_transfer',
        method: 'POST',
        url: () => `${admin}/loyalty_account/${light[0]}/create_transfer/`,
        headers: staff,
        body: () => ({ source_account: light[0], destination_account: light[1], amount: '0.01' }),
      },
    ];

    // Growing: ledger transaction g (1-based, global) is dated BASE_TIME + g seconds.
    let transactions = 0;
    let customerPostings = 0;
    let growSeconds = 0;
    const grow = async (postings: number): Promise<void> => {
      const started = performance.now();
      let added = 0;
      while (added < postings && (performance.now() - started) / 1000 + growSeconds < GROW_SECONDS) {
        const count = Math.min(BATCH, postings - added) / 2;
        // One customer posting per customer transaction: 2% of the postings are 4% of the transactions.
        const own = Math.round(2 * count * CUSTOMER_SHARE);
        const others = Math.max(count - own, 0);
        await grower.query(
          `WITH tx AS (
             INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, order_number, created_date)
             SELECT gen_random_uuid(), 1, 'transfer', 'try', 1.00, CASE WHEN g % 1000 = 0 THEN 'SCALE-' || g END,
                    to_timestamp($3::bigint + g)
               FROM generate_series($1::bigint + 1, $1::bigint + $2) g
             RETURNING id, created_date)
           INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, created_date)
           SELECT tx.id, p.account, 1, 'try', p.amount, tx.created_date
             FROM tx CROSS JOIN (VALUES ($4::integer, -1.00), ($5::integer, 1.00)) p(account, amount)`,
          [transactions, others, BASE_TIME / 1000, bank, sale],
        );
        transactions += others;
        // The customer's credits: BANK -> customer 0.01 each, balance_after the running total.
        await grower.query(
          `WITH tx AS (
             INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, user_id, created_date)
             SELECT gen_random_uuid(), 1, 'transfer', 'try', 0.01, $6::integer, to_timestamp($3::bigint + g)
               FROM generate_series($1::bigint + 1, $1::bigint + $2) g
             RETURNING id, created_date),
           numbered AS (SELECT tx.*, row_number() OVER (ORDER BY tx.id) AS k FROM tx)
           INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, balance_after,
                                         created_date)
           SELECT n.id, p.account, 1, 'try', p.amount,
                  CASE WHEN p.account = $5::integer THEN ($7::bigint + n.k) * 0.01 END, n.created_date
             FROM numbered n CROSS JOIN (VALUES ($4::integer, -0.01), ($5::integer, 0.01)) p(account, amount)`,
          [transactions, own, BASE_TIME / 1000, bank, heavy.pk, heavyUser.id, customerPostings],
        );
        transactions += own;
        customerPostings += own;
        added += 2 * (others + own);
      }
      await grower.query(`UPDATE loyalty_account SET balance = $2::bigint * 0.01 WHERE id = $1`, [
        heavy.pk,
        customerPostings,
      ]);
      await grower.query(`VACUUM ANALYZE loyalty_transfer`);
      await grower.query(`VACUUM ANALYZE loyalty_transaction`);
      await grower.query(`ANALYZE loyalty_count`);
      // The growth's writes flushed before the clock starts (a superuser's or pg_checkpoint's right: else skipped).
      await grower.query(`CHECKPOINT`).catch(() => undefined);
      growSeconds += (performance.now() - started) / 1000;
    };

    const columns: { postings: number; customer: number; medians: number[] }[] = [];
    for (const size of SIZES) {
      const [{ n }] = await dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM loyalty_transfer`);
      if (size > n) await grow(size - n);
      const [{ n: now }] = await dataSource.query<{ n: number }[]>(`SELECT count(*) AS n FROM loyalty_transfer`);
      if (columns.length > 0 && now === columns[columns.length - 1].postings) break;
      await findTenthNext();
      // Interleaved: one call of each read per round, so a passing disturbance (a checkpoint) spreads over all.
      for (const read of reads) for (let i = 0; i < 2; i++) await request(read);
      const samples: number[][] = reads.map(() => []);
      for (let round = 0; round < SAMPLES; round++) {
        for (const [i, read] of reads.entries()) samples[i].push(await request(read));
      }
      const medians = samples.map(median);
      columns.push({ postings: now, customer: customerPostings, medians });
      process.stderr.write(`measured at ${now} postings (grown in ${growSeconds.toFixed(0)} s so far)\n`);
      if (growSeconds >= GROW_SECONDS) break;
    }

    // The bigint migration's rewrite of the postings table at the last size (same type: a rewrite, nothing changes).
    const rewriteStart = performance.now();
    await grower.query(`ALTER TABLE loyalty_transfer ALTER COLUMN id TYPE bigint USING id + 0`);
    const rewriteSeconds = (performance.now() - rewriteStart) / 1000;

    const first = columns[0];
    const last = columns[columns.length - 1];
    const lines = [
      `| read (median of ${SAMPLES}, ms) | ${columns.map((c) => `${c.postings.toLocaleString('en')} postings (customer ${c.customer.toLocaleString('en')})`).join(' | ')} | last / empty | within target |`,
      `| --- | ${columns.map(() => '---:').join(' | ')} | ---: | --- |`,
    ];
    reads.forEach((read, i) => {
      const ratio = last.medians[i] / first.medians[i];
      const ok = read.exempt ? `exempt: ${read.exempt}` : ratio <= 2 && last.medians[i] < 50 ? 'yes' : 'NO';
      lines.push(
        `| ${read.name} | ${columns.map((c) => c.medians[i].toFixed(1)).join(' | ')} | ${ratio.toFixed(2)} | ${ok} |`,
      );
    });
    lines.push(
      '',
      `Grown to ${last.postings.toLocaleString('en')} postings in ${growSeconds.toFixed(0)} s (limit ${GROW_SECONDS} s).`,
      `Rewriting loyalty_transfer (bigint migration, ACCESS EXCLUSIVE) at ${last.postings.toLocaleString('en')} postings: ${rewriteSeconds.toFixed(1)} s.`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await grower.end();
    await storefront.close();
    await omnitron.close();
    if (process.env.SCALE_KEEP_DATABASE === '1') process.stdout.write(`Database kept: ${database.url}\n`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
