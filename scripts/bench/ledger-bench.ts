import 'reflect-metadata';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { StaffService } from '@app/identity';
import { LedgerQueryService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createBenchDatabase } from './bench-database';
import { createLedgerContext } from './ledger-context';
import { postgresCpu, postgresCpuMsBetween } from './process-cpu';
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
/**
 * Rounds of the API and baseline runs at each concurrency, interleaved: on a small shared machine one pair of
 * runs can differ by a third from the next, so the ratios are the median of the rounds' ratios.
 */
/**
 * With REDIS_URL set, the apps use it as production does (the account read cache among others), under a key prefix
 * of this run's own; the keys they write there (limits' counters) expire on their own.
 */
const REDIS_ENV: Record<string, string> = process.env.REDIS_URL
  ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `ledger-bench-${Date.now().toString(36)}:` }
  : {};
const REPEATS = Math.min(Math.max(Math.trunc(Number(process.env.BENCH_REPEATS ?? 3)) || 1, 1), 10);
const POOL_SIZE = 20;
const ACCOUNTS = 2 * Math.max(...CONCURRENCIES);

const exec = promisify(execFile);

export interface MeasuredResult extends LoadResult {
  /** How many app instances served an http run (0 for the runs without HTTP). */
  instances: number;
  /** CPU of the app instances during an http run (NaN where it cannot be read). */
  appCpuMs: number;
}

/** One way to read the CPU time of the app under test: this process, or child processes through /proc (Linux). */
type CpuReader = () => number;

const ownCpu: CpuReader = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function childrenCpu(pids: number[]): CpuReader {
  return () => {
    let ticks = 0;
    for (const pid of pids) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
        // utime and stime: the 14th and 15th fields, counted after the parenthesised command name.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        return Number.NaN;
      }
    }
    return ticks * 10; // USER_HZ is 100 on Linux: a tick is 10 ms.
  };
}

function isRead(mode: LoadSpec['mode']): boolean {
  return mode === 'http-account' || mode === 'http-health';
}

const SETTLE_WINDOW_MS = 250;
/** PostgreSQL counts as settled below this share of one core over a window. */
const SETTLED_CORE_SHARE = 0.05;
const SETTLE_MS_MAX = 5_000;

/** Waits (at most SETTLE_MS_MAX) until PostgreSQL's processes use under SETTLED_CORE_SHARE of a core. */
async function settle(): Promise<void> {
  const deadline = Date.now() + SETTLE_MS_MAX;
  while (Date.now() < deadline) {
    const before = postgresCpu();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_WINDOW_MS));
    const used = postgresCpuMsBetween(before, postgresCpu());
    if (!(used >= SETTLED_CORE_SHARE * SETTLE_WINDOW_MS)) return;
  }
}

async function load(spec: LoadSpec, instances: number, appCpu: CpuReader): Promise<MeasuredResult> {
  const appBefore = appCpu();
  const { stdout } = await exec(process.execPath, [join(__dirname, 'ledger-load.js'), JSON.stringify(spec)], {
    timeout: (SECONDS + 60) * 1000,
    maxBuffer: 1024 * 1024,
  });
  const appCpuMs = appCpu() - appBefore;
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
  return { ...result, instances, appCpuMs };
}

interface Instances {
  urls: string[];
  pids: number[];
  stop: () => Promise<void>;
}

/**
 * Starts `count` omnitron processes as production runs them (`dist/apps/omnitron/src/main.js`, one per core), each
 * with an equal share of the baseline's connection pool, on free loopback ports.
 */
async function startInstances(count: number, databaseUrl: string): Promise<Instances> {
  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) {
              resolve();
              return;
            }
            child.once('exit', () => {
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    const urls: string[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [join(__dirname, '..', '..', 'apps', 'omnitron', 'src', 'main.js')], {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          DATABASE_POOL_SIZE: String(Math.max(2, Math.floor(POOL_SIZE / count))),
          OMNITRON_PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: 'silent',
          MIGRATIONS_RUN: 'false',
          SWAGGER_ENABLED: 'false',
          AUTH_THROTTLE_IP_LIMIT: '100000',
          ...REDIS_ENV,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error('an omnitron instance did not start within 60 s'));
        }, 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('omnitron listening')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`an omnitron instance exited with ${code}`));
        });
      });
      urls.push(`http://127.0.0.1:${port}`);
    }
    return { urls, pids: children.map((c) => c.pid!), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('loyalty_bench');
  const databaseUrl = database.url;
  const config = AppConfig.fromEnv({
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    LOG_LEVEL: 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
    ...REDIS_ENV,
  });
  process.stdout.write(
    config.redisUrl && config.accountCacheSeconds > 0
      ? `GET account: cached (REDIS_URL set, ACCOUNT_CACHE_SECONDS=${config.accountCacheSeconds})\n`
      : 'GET account: not cached (no REDIS_URL, or ACCOUNT_CACHE_SECONDS=0): every read goes to PostgreSQL\n',
  );
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
        accountIds.push((await accounts.create(1, { userId: user, currency: 'try', balance: 100_000_000n })).pk);
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
      token,
      pairs,
      customers: userIds,
    };
    const single = { ...base, baseUrls: [baseUrl] };
    const results: MeasuredResult[] = [];
    // The API as production runs it on this machine too: one instance per core, the same database and token.
    const instances = await startInstances(cpus().length, databaseUrl);
    try {
      const several = { ...base, baseUrls: instances.urls };
      const severalCpu = childrenCpu(instances.pids);
      // Warm-up: JIT, plan caches, and every connection of the pools (the baseline opens its own before its clock).
      const warmConcurrency = Math.max(...CONCURRENCIES);
      // Two seconds each: after one, the first timed round at concurrency 1 still ran at three quarters of the later
      // rounds' rate, with half as much more app CPU per request (a process still warming up).
      await load({ ...single, mode: 'http-transfer', concurrency: 1, durationMs: 2000 }, 1, ownCpu);
      await load({ ...single, mode: 'http-transfer', concurrency: warmConcurrency, durationMs: 2000 }, 1, ownCpu);
      await load(
        { ...several, mode: 'http-transfer', concurrency: warmConcurrency, durationMs: 1000 },
        instances.urls.length,
        severalCpu,
      );
      for (const concurrency of CONCURRENCIES) {
        const runs: [LoadSpec, number, CpuReader][] = [];
        for (let round = 0; round < REPEATS; round++) {
          runs.push(
            [{ ...single, mode: 'http-transfer', concurrency }, 1, ownCpu],
            [{ ...several, mode: 'http-transfer', concurrency }, instances.urls.length, severalCpu],
            [{ ...single, mode: 'sql-transfer', concurrency }, 0, ownCpu],
            [{ ...single, mode: 'sql-function', concurrency }, 0, ownCpu],
          );
          // The read pair in turns (ABBA): neither side always runs first, right after the write runs.
          const reads: [LoadSpec, number, CpuReader][] = [
            [{ ...single, mode: 'http-account', concurrency }, 1, ownCpu],
            [{ ...single, mode: 'http-health', concurrency }, 1, ownCpu],
          ];
          runs.push(...(round % 2 === 0 ? reads : reads.reverse()));
        }
        runs.push(
          [{ ...single, mode: 'service-transfer', concurrency }, 0, ownCpu],
          [{ ...single, mode: 'service-pay', concurrency }, 0, ownCpu],
        );
        let previous: LoadSpec['mode'] | undefined;
        for (const [spec, count, cpu] of runs) {
          // The reads on a settled database: PostgreSQL's own work after the write runs (vacuum, checkpoints) takes
          // the cores the app and the load generator need, and would land on whichever read ran first.
          if (isRead(spec.mode) && (previous === undefined || !isRead(previous))) await settle();
          previous = spec.mode;
          const result = await load(spec, count, cpu);
          results.push(result);
          process.stderr.write(`${label(result)} c=${concurrency}: ${result.count} ops, ${result.errors} errors\n`);
        }
      }
    } finally {
      await instances.stop();
    }
    const check = await createLedgerContext(config);
    const violations = await check
      .get(LedgerQueryService, { strict: false })
      .checkInvariants(1)
      .finally(() => check.close());
    print(results, violations.length);
  } finally {
    await app.close();
    await database.drop();
  }
}

function label(r: MeasuredResult): string {
  return r.instances > 1 ? `${r.mode} (${r.instances} instances)` : r.mode;
}

function print(results: MeasuredResult[], violations: number): void {
  const rate = (r: MeasuredResult): number => (r.count * 1000) / Math.max(r.elapsedMs, 1);
  const all = (mode: LoadResult['mode'], c: number, instances = 0): MeasuredResult[] =>
    results.filter((r) => r.mode === mode && r.concurrency === c && (instances === 0 || r.instances === instances));
  const find = (mode: LoadResult['mode'], c: number): MeasuredResult => all(mode, c)[0];
  /** The median over the rounds of (a run / the other run of the same round). */
  const medianOf = (top: MeasuredResult[], bottom: MeasuredResult[]): number => {
    const ratios = top.map((r, round) => rate(r) / rate(bottom[round])).sort((x, y) => x - y);
    return ratios[Math.floor(ratios.length / 2)];
  };
  const medianRatio = (c: number, instances: number, baseline: LoadResult['mode'] = 'sql-transfer'): number =>
    medianOf(all('http-transfer', c, instances), all(baseline, c));
  const several = Math.max(...results.map((r) => r.instances));
  const lines = [
    `Ledger benchmark — ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${SECONDS} s per run, ${REPEATS} rounds of the API and baseline runs, pool ${POOL_SIZE} (shared by the instances)`,
    '',
    '| run | concurrency | ops | errors | ops/s | p50 ms | p99 ms | CPU ms/op: load process | app |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map((r) => {
      const perOp = (ms: number): string => (Number.isNaN(ms) ? '?' : (ms / Math.max(r.count, 1)).toFixed(2));
      return (
        `| ${label(r)} | ${r.concurrency} | ${r.count} | ${r.errors} | ${rate(r).toFixed(0)} | ${r.p50Ms.toFixed(1)} | ` +
        `${r.p99Ms.toFixed(1)} | ${perOp(r.loadCpuMs)} | ${r.instances > 0 ? perOp(r.appCpuMs) : '-'} |`
      );
    }),
    '',
    `| concurrency | API (1 instance) / ten-statement SQL baseline, median of rounds (target >= 1.0 at 16 and 64) | API (${several} instances) / baseline | single-call SQL / baseline | API (1 instance) / single-call SQL | GET account / GET /health/ (target >= 0.6 at 16) | SALE payments / distinct-pair transfers (target >= 0.8) |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.map((c) => {
      const one = medianRatio(c, 1);
      const many = medianRatio(c, several);
      const fn = medianOf(all('sql-function', c), all('sql-transfer', c));
      const apiFn = medianRatio(c, 1, 'sql-function');
      const read = medianOf(all('http-account', c), all('http-health', c));
      const sale = rate(find('service-pay', c)) / rate(find('service-transfer', c));
      return `| ${c} | ${one.toFixed(2)} | ${many.toFixed(2)} | ${fn.toFixed(2)} | ${apiFn.toFixed(2)} | ${read.toFixed(2)} | ${sale.toFixed(2)} |`;
    }),
    '',
    ...CONCURRENCIES.map((c) => {
      const p99 = all('http-transfer', c, 1)
        .map((r) => r.p99Ms)
        .sort((x, y) => x - y);
      return `create_transfer p99 at c=${c} (1 instance, median of rounds): ${p99[Math.floor(p99.length / 2)].toFixed(1)} ms`;
    }),
    '',
    `Ledger invariants after the run: ${violations === 0 ? 'all hold' : `${violations} VIOLATIONS`}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  const failed = results.filter((r) => r.errors > 0);
  for (const r of failed) process.stdout.write(`first error of ${label(r)} c=${r.concurrency}: ${r.firstError}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
