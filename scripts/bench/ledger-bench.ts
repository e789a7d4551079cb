import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { type EmbeddedPostgresHandle, ensureDatabase, startEmbeddedPostgres } from '@app/database';
import { StaffService } from '@app/identity';
import { LedgerQueryService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createLedgerContext } from './ledger-context';
import type { LoadResult, LoadSpec } from './ledger-load';

/**
 * `npm run bench:ledger`: transfers/s and latency of `create_transfer` over HTTP against the same SQL transaction
 * run directly through pg, and order payments that all credit SALE against distinct-pair transfers (both through
 * the ledger service), at concurrency 1, 16 and 64. Loopback only; every run is bounded by BENCH_SECONDS and a count.
 * Uses DATABASE_URL's server when set, otherwise an embedded PostgreSQL in .data/bench-postgres; the benchmark
 * database is created for the run and dropped after it.
 */
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY ?? '1,16,64')
  .split(',')
  .map((c) => Math.min(Math.max(Math.trunc(Number(c)) || 1, 1), 64));
const SECONDS = Math.min(Math.max(Number(process.env.BENCH_SECONDS ?? 5), 1), 60);
const MAX_OPS = 100_000;
const POOL_SIZE = 20;
const ACCOUNTS = 2 * Math.max(...CONCURRENCIES);

const exec = promisify(execFile);

export interface MeasuredResult extends LoadResult {
  /** CPU of this process (the app under test, for the http runs) during the run. */
  appCpuMs: number;
}

async function load(spec: LoadSpec): Promise<MeasuredResult> {
  const appBefore = process.cpuUsage();
  const { stdout } = await exec(process.execPath, [join(__dirname, 'ledger-load.js'), JSON.stringify(spec)], {
    timeout: (SECONDS + 60) * 1000,
    maxBuffer: 1024 * 1024,
  });
  const app = process.cpuUsage(appBefore);
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
  return { ...result, appCpuMs: (app.user + app.system) / 1000 };
}

async function main(): Promise<void> {
  let embedded: EmbeddedPostgresHandle | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: join(process.cwd(), '.data', 'bench-postgres'), port: 54331 });
    serverUrl = embedded.serverUrl;
  }
  const databaseName = `loyalty_bench_${Date.now().toString(36)}`;
  const databaseUrl = await ensureDatabase(serverUrl, databaseName);
  const config = AppConfig.fromEnv({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    LOG_LEVEL: 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
  });
  const app = await createOmnitronApp(config);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    // Seed: customers, one account each holding 1,000,000.00, a staff token, loyalty money on.
    const dataSource = app.get(DataSource);
    const userIds: number[] = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const rows: { id: number }[] = await dataSource.query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, $1, $2, $2, '!', now(), now()) RETURNING id`,
        [`bench${i}`, `bench${i}@example.com`],
      );
      userIds.push(rows[0].id);
    }
    const ledger = await createLedgerContext(config);
    const accountIds: number[] = [];
    try {
      const accounts = ledger.get(LoyaltyAccountService, { strict: false });
      for (const user of userIds) {
        accountIds.push((await accounts.create(1, { user, currency: 'try', balance: '1000000.00' })).pk);
      }
      await ledger.get(DynamicSettingsService, { strict: false }).patch(1, { LOYALTY_MONEY_ENABLED: true });
    } finally {
      await ledger.close();
    }
    await app
      .get(StaffService)
      .create({ username: 'bench', password: 'bench-password', superuser: true, channelIds: [] });
    const login = await fetch(`${baseUrl}/api/v1/auth/login/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: 'bench-password' }),
      signal: AbortSignal.timeout(10_000),
    });
    const token = ((await login.json()) as { key: string }).key;
    const pairs = Array.from({ length: ACCOUNTS / 2 }, (_, i): [number, number] => [
      accountIds[2 * i],
      accountIds[2 * i + 1],
    ]);

    const base = {
      databaseUrl,
      poolSize: POOL_SIZE,
      durationMs: SECONDS * 1000,
      maxOps: MAX_OPS,
      baseUrl,
      token,
      pairs,
    };
    const results: MeasuredResult[] = [];
    // Warm-up: JIT, connection pools, plan caches.
    await load({ ...base, mode: 'http-transfer', concurrency: 4, durationMs: 1000, customers: userIds });
    for (const concurrency of CONCURRENCIES) {
      for (const mode of ['http-transfer', 'sql-transfer', 'service-transfer', 'service-pay'] as const) {
        const result = await load({ ...base, mode, concurrency, customers: userIds });
        results.push(result);
        process.stderr.write(`${mode} c=${concurrency}: ${result.count} ops, ${result.errors} errors\n`);
      }
    }
    const check = await createLedgerContext(config);
    const violations = await check
      .get(LedgerQueryService, { strict: false })
      .checkInvariants(1)
      .finally(() => check.close());
    print(results, violations.length);
  } finally {
    await app.close();
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  }
}

function print(results: MeasuredResult[], violations: number): void {
  const rate = (r: LoadResult): number => (r.count * 1000) / Math.max(r.elapsedMs, 1);
  const find = (mode: LoadResult['mode'], c: number): MeasuredResult =>
    results.find((r) => r.mode === mode && r.concurrency === c)!;
  const lines = [
    `Ledger benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${SECONDS} s per run, pool ${POOL_SIZE}`,
    '',
    '| run | concurrency | ops | errors | ops/s | p50 ms | p99 ms | CPU ms/op: load process | app |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const perOp = (ms: number): string => (ms / Math.max(r.count, 1)).toFixed(2);
      return (
        `| ${r.mode} | ${r.concurrency} | ${r.count} | ${r.errors} | ${rate(r).toFixed(0)} | ${r.p50Ms.toFixed(1)} | ` +
        `${r.p99Ms.toFixed(1)} | ${perOp(r.loadCpuMs)} | ${r.mode === 'http-transfer' ? perOp(r.appCpuMs) : '-'} |`
      );
    }),
    '',
    '| concurrency | API / SQL baseline (target >= 0.5) | SALE payments / distinct-pair transfers (target >= 0.8) |',
    '| ---: | ---: | ---: |',
    ...CONCURRENCIES.map((c) => {
      const api = rate(find('http-transfer', c)) / rate(find('sql-transfer', c));
      const sale = rate(find('service-pay', c)) / rate(find('service-transfer', c));
      return `| ${c} | ${api.toFixed(2)} | ${sale.toFixed(2)} |`;
    }),
    '',
    `Ledger invariants after the run: ${violations === 0 ? 'all hold' : `${violations} VIOLATIONS`}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const failed = results.filter((r) => r.errors > 0);
  for (const r of failed) process.stdout.write(`first error of ${r.mode} c=${r.concurrency}: ${r.firstError}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
