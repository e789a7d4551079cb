import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { SessionStore } from '@app/identity';
import { LedgerQueryService } from '@app/ledger';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createStorefrontApp } from '../../apps/storefront/src/storefront.app';
import { createBenchDatabase } from './bench-database';
import { postgresCpu, postgresCpuMsBetween } from './process-cpu';
import { failed, type Measured, reportLines, type StoreReport } from './checkout-bench-report';
import {
  CONCURRENCIES,
  MAX_OPS,
  POOL_SIZE,
  REPEATS,
  SECONDS,
  type Store,
  WARM_CONCURRENCY,
  setUpFixtures,
} from './checkout-bench-setup';
import type { CheckoutLoadResult, CheckoutLoadSpec } from './checkout-load';
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

const exec = promisify(execFile);

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** One run of a load generator (its own process); the apps' CPU time is this process's during it. */
async function measure<T>(script: string, spec: unknown, round = 0): Promise<Measured<T>> {
  const before = ownCpuMs();
  const dbBefore = postgresCpu();
  const { stdout } = await exec(process.execPath, [join(__dirname, script), JSON.stringify(spec)], {
    // A checkout started just before the deadline still finishes, and takes seconds at concurrency 64.
    timeout: (SECONDS + 90) * 1000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const appCpuMs = ownCpuMs() - before;
  const dbCpuMs = postgresCpuMsBetween(dbBefore, postgresCpu());
  return { result: JSON.parse(stdout.trim().split('\n').pop()!) as T, appCpuMs, dbCpuMs, round };
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

    // Setup, outside the timed runs (checkout-bench-setup.ts): customers, transfer accounts, a staff token.
    const { customers, pairs, token } = await setUpFixtures(storefront, omnitron, storefrontUrl, omnitronUrl, runId);
    const dataSource = storefront.get(DataSource);

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

  process.stdout.write(reportLines(reports, startedAt).join('\n'));
  if (reports.some(failed)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
