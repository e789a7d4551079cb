import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { ProductService } from '@app/checkout';
import { ChannelService, SessionStore, StaffService } from '@app/identity';
import { LedgerQueryService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createStorefrontApp } from '../../apps/storefront/src/storefront.app';
import { createBenchDatabase } from './bench-database';
import {
  CHECKOUT_PAGES,
  type CheckoutCustomer,
  type CheckoutLoadResult,
  type CheckoutLoadSpec,
  type CheckoutPageName,
  FINAL_PAGE,
  percentile,
} from './checkout-load';
import type { LoadResult, LoadSpec } from './ledger-load';

/**
 * `npm run bench:checkout` (issue 19): whole store-credit checkouts/s on the storefront app against
 * `create_transfer` requests/s on the omnitron app, both over HTTP, side by side in one run: both apps in this
 * process, each with the same DATABASE_POOL_SIZE, on the same benchmark database and the same session store
 * setting. At each concurrency (1, 16, 64; BENCH_CONCURRENCY) BENCH_REPEATS rounds of (checkout run, transfer run)
 * alternate, so machine noise hits both alike; the ratio is the median of the rounds' ratios. The load generators
 * are processes of their own, so this process's CPU time during a run (process.cpuUsage) is the apps' CPU time.
 * It runs once with sessions in PostgreSQL and, when REDIS_URL is set, once more with sessions in Redis (under a key
 * prefix of this run's own, deleted afterwards: nothing else in that Redis is touched). Loopback only; every run is
 * bounded by BENCH_SECONDS (default 5, at most 60) and 100,000 operations. Uses DATABASE_URL's server when set,
 * otherwise an embedded PostgreSQL in .data/bench-postgres; each session store's run gets a database of its own,
 * created for it and dropped after it.
 */
const CONCURRENCIES = [
  ...new Set(
    (process.env.BENCH_CONCURRENCY ?? '1,16,64')
      .split(',')
      .map((c) => Math.min(Math.max(Math.trunc(Number(c)) || 1, 1), 64)),
  ),
];
const SECONDS = Math.min(Math.max(Number(process.env.BENCH_SECONDS ?? 5) || 5, 1), 60);
const MAX_OPS = 100_000;
/** Rounds of (checkout run, transfer run) at each concurrency. */
const REPEATS = Math.min(Math.max(Math.trunc(Number(process.env.BENCH_REPEATS ?? 3)) || 1, 1), 10);
/** DATABASE_POOL_SIZE of each app alike. */
const POOL_SIZE = 20;
const WARM_CONCURRENCY = Math.min(16, Math.max(...CONCURRENCIES));
const CUSTOMERS = Math.max(...CONCURRENCIES, WARM_CONCURRENCY);
const PRICE = '10.00';
const REQUEST_TIMEOUT_MS = 10_000;
/** Targets of issue 19. */
const RATIO_TARGET = 0.1;
const NON_FINAL_P50_TARGET_MS = 4;

type Store = 'postgres' | 'redis';

const exec = promisify(execFile);

interface Measured<T> {
  result: T;
  /** CPU time of this process (the two apps) during the run. */
  appCpuMs: number;
  round: number;
}

interface StoreReport {
  store: Store;
  sessionStore: string;
  checkouts: Measured<CheckoutLoadResult>[];
  transfers: Measured<LoadResult>[];
  warmErrors: string[];
  completedOrders: number;
  reportedOrders: number;
  violations: number;
}

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** One run of a load generator (its own process); the apps' CPU time is this process's during it. */
async function measure<T>(script: string, spec: unknown, round = 0): Promise<Measured<T>> {
  const before = ownCpuMs();
  const { stdout } = await exec(process.execPath, [join(__dirname, script), JSON.stringify(spec)], {
    // A checkout started just before the deadline still finishes, and takes seconds at concurrency 64.
    timeout: (SECONDS + 90) * 1000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const appCpuMs = ownCpuMs() - before;
  return { result: JSON.parse(stdout.trim().split('\n').pop()!) as T, appCpuMs, round };
}

/** One JSON request of the setup, with a timeout; returns the body and the session cookie it set. */
async function call(
  url: string,
  init: { method?: string; json?: unknown; cookie?: string; csrf?: string; token?: string },
): Promise<{ status: number; body: { csrf_token?: string; pk?: number; key?: string }; session?: string }> {
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

/** İstanbul / Kadıköy / Caddebostan of the demo geography, as the client's select boxes find them (pks as strings). */
async function demoPlaces(baseUrl: string, cookie: string): Promise<Record<string, string>> {
  const lookup = async (path: string, name: string): Promise<string> => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json', Cookie: cookie },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { results?: { pk: number; name: string }[] };
    const found = body.results?.find((r) => r.name === name);
    if (!found) throw new Error(`${name} not in ${path}: ${response.status}`);
    return String(found.pk);
  };
  const country = await lookup('/address/country/', 'Türkiye');
  const city = await lookup(`/address/city/?country=${country}`, 'İstanbul');
  const township = await lookup(`/address/township/?city=${city}`, 'Kadıköy');
  const district = await lookup(`/address/district/?township=${township}`, 'Caddebostan');
  return { country, city, township, district };
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === '' || host === 'localhost' || host === '[::1]' || /^127\./.test(host);
}

/** Deletes this run's keys (SCAN for the run's own prefix): never a flush, nothing of anyone else. */
async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 5_000, commandTimeout: 5_000 });
  client.on('error', () => undefined);
  await client.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}

async function baseUrlOf(app: NestFastifyApplication): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

async function runStore(store: Store, redisUrl: string | undefined): Promise<StoreReport> {
  const database = await createBenchDatabase(`checkout_bench_${store}`);
  const databaseUrl = database.url;
  const runId = Date.now().toString(36);
  const keyPrefix = `checkout-bench-${runId}:`;
  // One configuration for both apps: the same database, pool size and session store.
  const config = AppConfig.fromEnv({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    // BENCH_LOG_LEVEL=error shows what failed (the log goes to stdout, before the tables).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
    SWAGGER_ENABLED: 'false',
    // A day (sliding; refreshed only after a tenth of it, so never during a run): keys a killed run leaves behind
    // in Redis go by themselves.
    SESSION_TTL_SECONDS: String(86_400),
    ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: keyPrefix } : {}),
  });
  let storefront: NestFastifyApplication | undefined;
  let omnitron: NestFastifyApplication | undefined;
  try {
    storefront = await createStorefrontApp(config);
    omnitron = await createOmnitronApp(config);
    const storefrontUrl = await baseUrlOf(storefront);
    const omnitronUrl = await baseUrlOf(omnitron);
    const sessionStore = storefront.get(SessionStore, { strict: false }).constructor.name;
    const expected = store === 'redis' ? 'RedisSessionStore' : 'PostgresSessionStore';
    if (sessionStore !== expected) throw new Error(`sessions in ${sessionStore}, ${expected} expected`);

    // Setup, outside the timed runs: loyalty money on; per checkout customer a registration (session), a CSRF
    // token, an address, store credit of 1,000,000.00 and a product of its own (so no two customers wait on one
    // stock row); per transfer worker a pair of accounts of 1,000,000.00; a staff token.
    await storefront.get(DynamicSettingsService, { strict: false }).patch(1, { LOYALTY_MONEY_ENABLED: true });
    const channel = (await storefront.get(ChannelService, { strict: false }).find(1))!;
    const products = storefront.get(ProductService, { strict: false });
    const accounts = storefront.get(LoyaltyAccountService, { strict: false });
    const dataSource = storefront.get(DataSource);
    const customers: CheckoutCustomer[] = [];
    let places: Record<string, string> | undefined;
    for (let i = 0; i < CUSTOMERS; i++) {
      const email = `checkout-bench-${runId}-${i}@example.com`;
      const registered = await call(`${storefrontUrl}/users/registration/`, {
        json: { email, password: 'bench-password', first_name: 'Bench', last_name: 'Customer' },
      });
      if (registered.status !== 201 || !registered.session) throw new Error(`registration: ${registered.status}`);
      const rows: { id: number }[] = await dataSource.query(
        'SELECT id FROM users WHERE channel_id = 1 AND email_lower = $1',
        [email],
      );
      await accounts.create(1, { user: rows[0].id, currency: 'try', balance: '1000000.00' });
      const product = await products.create(channel, {
        sku: `BENCH-${runId}-${i}`,
        name: `Bench product ${i}`,
        prices: [{ currency: 'try', amount: PRICE }],
        stock: 1_000_000,
        active: true,
      });
      const csrf = (await call(`${storefrontUrl}/csrf_token/`, {})).body.csrf_token ?? '';
      const cookie = `osessionid=${registered.session}; csrftoken=${csrf}`;
      places ??= await demoPlaces(storefrontUrl, cookie);
      // The storefront client's address form: a personal address in the demo geography (seeded by the migrations).
      const address = await call(`${storefrontUrl}/address/`, {
        cookie,
        csrf,
        json: {
          type: 'personal',
          is_corporate: 'false',
          title: 'Home',
          first_name: 'Bench',
          last_name: 'Customer',
          phone_number: '+905551234567',
          line: 'Bagdat Cd. 12/3',
          postcode: '34728',
          ...places,
        },
      });
      if (address.status !== 201 || address.body.pk === undefined)
        throw new Error(`address: ${address.status} ${JSON.stringify(address.body)}`);
      customers.push({ session: registered.session, csrf, address: address.body.pk, product: product.pk });
    }
    const transferAccounts: number[] = [];
    for (let i = 0; i < 2 * CUSTOMERS; i++) {
      const rows: { id: number }[] = await dataSource.query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, $1, $2, $2, '!', now(), now()) RETURNING id`,
        [`transfer-bench-${i}`, `transfer-bench-${runId}-${i}@example.com`],
      );
      transferAccounts.push(
        (await accounts.create(1, { user: rows[0].id, currency: 'try', balance: '1000000.00' })).pk,
      );
    }
    const pairs = Array.from({ length: CUSTOMERS }, (_, i): [number, number] => [
      transferAccounts[2 * i],
      transferAccounts[2 * i + 1],
    ]);
    await omnitron
      .get(StaffService, { strict: false })
      .create({ username: 'bench', password: 'bench-password', superuser: true, channelIds: [] });
    const login = await call(`${omnitronUrl}/api/v1/auth/login/`, {
      json: { username: 'bench', password: 'bench-password' },
    });
    if (login.status !== 200 || !login.body.key) throw new Error(`staff login: ${login.status}`);
    const token = login.body.key;

    const checkoutSpec = (concurrency: number, durationMs = SECONDS * 1000): CheckoutLoadSpec => ({
      concurrency,
      durationMs,
      maxOps: MAX_OPS,
      baseUrl: storefrontUrl,
      customers,
    });
    const transferSpec = (concurrency: number, durationMs = SECONDS * 1000): LoadSpec => ({
      mode: 'http-transfer',
      concurrency,
      durationMs,
      maxOps: MAX_OPS,
      databaseUrl,
      poolSize: POOL_SIZE,
      baseUrls: [omnitronUrl],
      token,
      pairs,
      customers: [],
    });

    // Warm-up of both apps: JIT, connection pools, plan caches.
    let reportedOrders = 0;
    const warmErrors: string[] = [];
    const warmMs = Math.min(2000, SECONDS * 1000);
    for (const concurrency of [1, WARM_CONCURRENCY]) {
      const warmCheckout = await measure<CheckoutLoadResult>('checkout-load.js', checkoutSpec(concurrency, warmMs));
      reportedOrders += warmCheckout.result.count;
      if (warmCheckout.result.errors > 0) warmErrors.push(`checkout: ${warmCheckout.result.firstError}`);
      const warmTransfer = await measure<LoadResult>('ledger-load.js', transferSpec(concurrency, warmMs));
      if (warmTransfer.result.errors > 0) warmErrors.push(`transfer: ${warmTransfer.result.firstError}`);
    }

    const checkouts: Measured<CheckoutLoadResult>[] = [];
    const transfers: Measured<LoadResult>[] = [];
    for (const concurrency of CONCURRENCIES) {
      for (let round = 1; round <= REPEATS; round++) {
        const checkout = await measure<CheckoutLoadResult>('checkout-load.js', checkoutSpec(concurrency), round);
        checkouts.push(checkout);
        reportedOrders += checkout.result.count;
        const transfer = await measure<LoadResult>('ledger-load.js', transferSpec(concurrency), round);
        transfers.push(transfer);
        process.stderr.write(
          `${store} c=${concurrency} round ${round}: ${checkout.result.count} checkouts (${checkout.result.errors} errors), ` +
            `${transfer.result.count} transfers (${transfer.result.errors} errors)\n`,
        );
      }
    }

    const orders: { n: string }[] = await dataSource.query(
      `SELECT count(*)::text AS n FROM orders WHERE status = 'completed'`,
    );
    const violations = await storefront.get(LedgerQueryService, { strict: false }).checkInvariants(1);
    return {
      store,
      sessionStore,
      checkouts,
      transfers,
      warmErrors,
      completedOrders: Number(orders[0].n),
      reportedOrders,
      violations: violations.length,
    };
  } finally {
    await storefront?.close();
    await omnitron?.close();
    if (redisUrl) {
      const deleted = await deleteRedisKeys(redisUrl, keyPrefix).catch((error: unknown) => {
        process.stderr.write(`could not delete the Redis keys ${keyPrefix}*: ${String(error)}\n`);
        return 0;
      });
      process.stderr.write(`deleted ${deleted} Redis keys of this run (${keyPrefix}*)\n`);
    }
    await database.drop();
  }
}

const rate = (r: { count: number; elapsedMs: number }): number => (r.count * 1000) / Math.max(r.elapsedMs, 1);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The rounds' checkout and transfer runs at a concurrency, paired by round. */
function roundsAt(report: StoreReport, concurrency: number) {
  const checkouts = report.checkouts.filter((m) => m.result.concurrency === concurrency);
  const transfers = report.transfers.filter((m) => m.result.concurrency === concurrency);
  return checkouts.map((checkout, i) => ({ checkout, transfer: transfers[i] }));
}

/** Median over the rounds of (checkouts/s / transfers/s of the same round). */
function ratioAt(report: StoreReport, concurrency: number): number {
  return median(
    roundsAt(report, concurrency).map(({ checkout, transfer }) => rate(checkout.result) / rate(transfer.result)),
  );
}

/** Every round's latencies of one page at a concurrency, pooled, ascending. */
function pageSamples(report: StoreReport, concurrency: number, pages: readonly CheckoutPageName[]): number[] {
  return report.checkouts
    .filter((m) => m.result.concurrency === concurrency)
    .flatMap((m) => pages.flatMap((page) => m.result.pageMs[page]))
    .sort((a, b) => a - b);
}

const NON_FINAL_PAGES = CHECKOUT_PAGES.filter((page) => page !== FINAL_PAGE);

function nonFinalMedian(report: StoreReport): number {
  return percentile(pageSamples(report, 1, NON_FINAL_PAGES), 50);
}

function storeSection(report: StoreReport): string[] {
  const title = report.store === 'redis' ? 'Redis' : 'PostgreSQL';
  const perOp = (ms: number, ops: number): string => fixed(ops > 0 ? ms / ops : Number.NaN, 2);
  const runRow = (name: string, m: Measured<CheckoutLoadResult | LoadResult>, perPage: string): string => {
    const r = m.result;
    return (
      `| ${name} | ${r.concurrency} | ${m.round} | ${r.count} | ${r.errors} | ${fixed(rate(r), 1)} | ${fixed(r.p50Ms, 1)} | ` +
      `${fixed(r.p99Ms, 1)} | ${perOp(r.loadCpuMs, r.count)} | ${perOp(m.appCpuMs, r.count)} | ${perPage} |`
    );
  };
  const lines = [
    `## Sessions in ${title} (${report.sessionStore}): storefront and omnitron in this process, pool ${POOL_SIZE} each`,
    '',
    '| run | concurrency | round | ops | errors | ops/s | p50 ms | p99 ms | CPU ms/op: load process | app | app CPU ms/page |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.flatMap((c) =>
      roundsAt(report, c).flatMap(({ checkout, transfer }) => [
        runRow('checkout (7 requests)', checkout, perOp(checkout.appCpuMs, checkout.result.requests)),
        runRow('create_transfer', transfer, '-'),
      ]),
    ),
    '',
    `| concurrency | checkouts/s | transfers/s | checkouts/transfers, median of rounds (target >= ${RATIO_TARGET}) | app CPU ms per page | per transfer | a page in transfers of app CPU |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.map((c) => {
      const rounds = roundsAt(report, c);
      const pageCpu =
        rounds.reduce((sum, r) => sum + r.checkout.appCpuMs, 0) /
        Math.max(
          rounds.reduce((sum, r) => sum + r.checkout.result.requests, 0),
          1,
        );
      const transferCpu =
        rounds.reduce((sum, r) => sum + r.transfer.appCpuMs, 0) /
        Math.max(
          rounds.reduce((sum, r) => sum + r.transfer.result.count, 0),
          1,
        );
      return (
        `| ${c} | ${fixed(median(rounds.map((r) => rate(r.checkout.result))), 1)} | ` +
        `${fixed(median(rounds.map((r) => rate(r.transfer.result))), 1)} | ${fixed(ratioAt(report, c), 3)} | ` +
        `${fixed(pageCpu, 2)} | ${fixed(transferCpu, 2)} | ${fixed(pageCpu / transferCpu, 2)} |`
      );
    }),
    '',
    `| page (all rounds pooled) | ${CONCURRENCIES.map((c) => `c=${c} requests | p50 ms | p99 ms`).join(' | ')} |`,
    `| --- | ${CONCURRENCIES.map(() => '---: | ---: | ---:').join(' | ')} |`,
    ...[...CHECKOUT_PAGES, 'non-final pages' as const].map((page) => {
      const pages = page === 'non-final pages' ? NON_FINAL_PAGES : [page];
      const cells = CONCURRENCIES.map((c) => {
        const samples = pageSamples(report, c, pages);
        return `${samples.length} | ${fixed(percentile(samples, 50), 1)} | ${fixed(percentile(samples, 99), 1)}`;
      });
      return `| ${page} | ${cells.join(' | ')} |`;
    }),
    '',
    `Non-final page median at c=1: ${fixed(nonFinalMedian(report), 1)} ms (target <= ${NON_FINAL_P50_TARGET_MS} ms)`,
    ...CONCURRENCIES.filter((c) => roundsAt(report, c).some(({ checkout }) => checkout.result.count < 3 * c)).map(
      (c) =>
        `Coarse at c=${c}: a worker completed fewer than 3 checkouts in a run, so the run's length is mostly one ` +
        'checkout started before the deadline; a longer BENCH_SECONDS gives a finer rate',
    ),
    `Completed orders in the database: ${report.completedOrders} (the load generators reported ${report.reportedOrders})`,
    `Ledger invariants after the runs: ${report.violations === 0 ? 'all hold' : `${report.violations} VIOLATIONS`}`,
    ...report.warmErrors.map((e) => `warm-up error: ${e}`),
    ...[...report.checkouts, ...report.transfers]
      .filter((m) => m.result.errors > 0)
      .map((m) => `first error of ${m.result.mode} c=${m.result.concurrency} round ${m.round}: ${m.result.firstError}`),
    '',
  ];
  return lines;
}

function failed(report: StoreReport): boolean {
  return (
    report.violations > 0 ||
    report.completedOrders !== report.reportedOrders ||
    report.warmErrors.length > 0 ||
    [...report.checkouts, ...report.transfers].some((m) => m.result.errors > 0)
  );
}

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL || undefined;
  for (const [name, url] of [
    ['DATABASE_URL', process.env.DATABASE_URL],
    ['REDIS_URL', redisUrl],
  ] as const) {
    if (url && !isLoopback(url)) throw new Error(`${name} is not on loopback: the benchmark sends load only there`);
  }
  const stores: Store[] = redisUrl ? ['postgres', 'redis'] : ['postgres'];
  const startedAt = Date.now();
  const reports: StoreReport[] = [];
  for (const store of stores) reports.push(await runStore(store, store === 'redis' ? redisUrl : undefined));

  const lines = [
    `Checkout benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, ${SECONDS} s per run, ${REPEATS} rounds of (checkout run, transfer run) per concurrency, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ${Math.round((Date.now() - startedAt) / 1000)} s in all`,
    '',
    ...reports.flatMap(storeSection),
    ...reports.flatMap((report) =>
      CONCURRENCIES.map((c) => `checkouts/transfers at c=${c} (${report.store}): ${fixed(ratioAt(report, c), 3)}`),
    ),
    ...(CONCURRENCIES.includes(1)
      ? reports.map(
          (report) => `non-final page median at c=1 (${report.store}): ${fixed(nonFinalMedian(report), 1)} ms`,
        )
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (reports.some(failed)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
