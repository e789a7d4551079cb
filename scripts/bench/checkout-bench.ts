import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { ProductService } from '@app/checkout';
import { ChannelService } from '@app/identity';
import { LedgerQueryService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createStorefrontApp } from '../../apps/storefront/src/storefront.app';
import type { CheckoutCustomer, CheckoutLoadResult, CheckoutLoadSpec } from './checkout-load';
import type { LoadResult, LoadSpec } from './ledger-load';
import { createBenchDatabase } from './bench-database';

/**
 * `npm run bench:checkout`: completed full-loyalty checkouts per second over HTTP (each virtual customer: its own
 * session, basket and product; the checkout pages from DeliveryOptionSelectionPage through
 * LoyaltyPaymentSelectedPage to ThankYouPage), beside the ledger's order payment run directly through the ledger
 * service, at concurrency 1, 16 and 64, and their ratio. Customers, balances, products and addresses are prepared
 * before the timed runs. Loopback only; every run is bounded by BENCH_SECONDS and a count. Uses DATABASE_URL's
 * server when set, otherwise an embedded PostgreSQL in .data/bench-postgres; the benchmark database is created for
 * the run and dropped after it.
 */
const CONCURRENCIES = [1, 16, 64];
const SECONDS = Math.min(Math.max(Number(process.env.BENCH_SECONDS ?? 5), 1), 60);
const MAX_OPS = 100_000;
const POOL_SIZE = 20;
const CUSTOMERS = Math.max(...CONCURRENCIES);
const PRICE = '10.00';
const REQUEST_TIMEOUT_MS = 10_000;

const exec = promisify(execFile);

async function spawnLoad<T>(script: string, spec: unknown): Promise<T> {
  const { stdout } = await exec(process.execPath, [join(__dirname, script), JSON.stringify(spec)], {
    timeout: (SECONDS + 60) * 1000,
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** One JSON request of the setup, with a timeout; returns the body and the session cookie it set. */
async function call(
  url: string,
  init: { method?: string; json?: unknown; cookie?: string; csrf?: string },
): Promise<{ status: number; body: { csrf_token?: string; pk?: number }; session?: string }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.csrf) headers['X-CSRFToken'] = init.csrf;
  const response = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const session = /osessionid=(\w+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { status: response.status, body: (await response.json()) as { csrf_token?: string; pk?: number }, session };
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('checkout_bench');
  const databaseUrl = database.url;
  const config = AppConfig.fromEnv({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    // BENCH_LOG_LEVEL=error shows what failed (the log goes to stdout, before the table).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
  });
  const app = await createStorefrontApp(config);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    // Setup, outside the timed runs: loyalty money on; per customer a registration (session), a CSRF token, an
    // address, store credit of 1,000,000.00 and a product of its own (so no two customers wait on one stock row).
    await app.get(DynamicSettingsService, { strict: false }).patch(1, { LOYALTY_MONEY_ENABLED: true });
    const channel = (await app.get(ChannelService, { strict: false }).find(1))!;
    const products = app.get(ProductService, { strict: false });
    const accounts = app.get(LoyaltyAccountService, { strict: false });
    const dataSource = app.get(DataSource);
    const runId = Date.now().toString(36);
    const customers: CheckoutCustomer[] = [];
    const userIds: number[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const email = `checkout-bench-${runId}-${i}@example.com`;
      const registered = await call(`${baseUrl}/users/registration/`, {
        json: { email, password: 'bench-password', first_name: 'Bench', last_name: 'Customer' },
      });
      if (registered.status !== 201 || !registered.session) throw new Error(`registration: ${registered.status}`);
      const rows: { id: number }[] = await dataSource.query(
        'SELECT id FROM users WHERE channel_id = 1 AND email_lower = $1',
        [email],
      );
      const userId = rows[0].id;
      await accounts.create(1, { user: userId, currency: 'try', balance: '1000000.00' });
      const product = await products.create(channel, {
        sku: `BENCH-${runId}-${i}`,
        name: `Bench product ${i}`,
        prices: [{ currency: 'try', amount: PRICE }],
        stock: 1_000_000,
        active: true,
      });
      const csrf = (await call(`${baseUrl}/csrf_token/`, {})).body.csrf_token ?? '';
      const cookie = `osessionid=${registered.session}; csrftoken=${csrf}`;
      const address = await call(`${baseUrl}/address/`, {
        cookie,
        csrf,
        json: {
          title: 'Home',
          first_name: 'Bench',
          last_name: 'Customer',
          line: 'Bagdat Cd. 12/3',
          city: 'Istanbul',
          phone: '+905551234567',
          country: 'TR',
        },
      });
      if (address.status !== 201 || address.body.pk === undefined)
        throw new Error(`address: ${address.status} ${JSON.stringify(address.body)}`);
      customers.push({
        session: registered.session,
        csrf,
        address: address.body.pk,
        product: product.pk,
        price: PRICE,
      });
      userIds.push(userId);
    }

    const checkoutSpec = (concurrency: number, durationMs = SECONDS * 1000): CheckoutLoadSpec => ({
      concurrency,
      durationMs,
      maxOps: MAX_OPS,
      baseUrl,
      customers,
    });
    const paySpec = (concurrency: number): LoadSpec => ({
      mode: 'service-pay',
      concurrency,
      durationMs: SECONDS * 1000,
      maxOps: MAX_OPS,
      databaseUrl,
      poolSize: POOL_SIZE,
      pairs: [],
      customers: userIds,
    });

    // Warm-up: JIT, connection pools, plan caches.
    const warm = await spawnLoad<CheckoutLoadResult>('checkout-load.js', checkoutSpec(4, 1000));
    const checkouts: CheckoutLoadResult[] = [];
    const payments: LoadResult[] = [];
    for (const concurrency of CONCURRENCIES) {
      const checkout = await spawnLoad<CheckoutLoadResult>('checkout-load.js', checkoutSpec(concurrency));
      process.stderr.write(`checkout c=${concurrency}: ${checkout.count} checkouts, ${checkout.errors} errors\n`);
      checkouts.push(checkout);
      const pay = await spawnLoad<LoadResult>('ledger-load.js', paySpec(concurrency));
      process.stderr.write(`service-pay c=${concurrency}: ${pay.count} payments, ${pay.errors} errors\n`);
      payments.push(pay);
    }

    const orders: { n: string }[] = await dataSource.query(
      `SELECT count(*)::text AS n FROM orders WHERE status = 'completed'`,
    );
    const violations = await app.get(LedgerQueryService, { strict: false }).checkInvariants(1);
    const expected = warm.count + checkouts.reduce((sum, r) => sum + r.count, 0);
    print(checkouts, payments, violations.length, Number(orders[0].n), expected);
  } finally {
    await app.close();
    await database.drop();
  }
}

function print(
  checkouts: CheckoutLoadResult[],
  payments: LoadResult[],
  violations: number,
  completedOrders: number,
  expectedOrders: number,
): void {
  const rate = (r: { count: number; elapsedMs: number }): number => (r.count * 1000) / Math.max(r.elapsedMs, 1);
  const row = (name: string, r: CheckoutLoadResult | LoadResult): string =>
    `| ${name} | ${r.concurrency} | ${r.count} | ${r.errors} | ${rate(r).toFixed(1)} | ${r.p50Ms.toFixed(1)} | ${r.p99Ms.toFixed(1)} |`;
  const lines = [
    `Checkout benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${SECONDS} s per run, pool ${POOL_SIZE}`,
    '',
    '| run | concurrency | ops | errors | ops/s | p50 ms | p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.flatMap((_, i) => [
      row('http-checkout (whole checkout)', checkouts[i]),
      row('service-pay (ledger order payment)', payments[i]),
    ]),
    '',
    '| concurrency | checkouts/s | ledger payments/s | checkouts / payments |',
    '| ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.map((c, i) => {
      const checkout = rate(checkouts[i]);
      const pay = rate(payments[i]);
      return `| ${c} | ${checkout.toFixed(1)} | ${pay.toFixed(1)} | ${(checkout / Math.max(pay, 1e-9)).toFixed(3)} |`;
    }),
    '',
    '| concurrency | median ms of each request of a checkout |',
    '| ---: | --- |',
    ...checkouts.map(
      (r) =>
        `| ${r.concurrency} | ${Object.entries(r.stepP50Ms)
          .map(([step, ms]) => `${step} ${ms.toFixed(0)}`)
          .join(', ')} |`,
    ),
    '',
    `Completed orders in the database: ${completedOrders} (the load generators reported ${expectedOrders})`,
    `Ledger invariants after the run: ${violations === 0 ? 'all hold' : `${violations} VIOLATIONS`}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  for (const r of [...checkouts, ...payments].filter((x) => x.errors > 0)) {
    process.stdout.write(`first error of ${r.mode} c=${r.concurrency}: ${r.firstError}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
