import { cpus, loadavg, totalmem } from 'node:os';
import { CONCURRENCIES, POOL_SIZE, REPEATS, SECONDS, type Store } from './checkout-bench-setup';
import {
  CHECKOUT_PAGES,
  type CheckoutLoadResult,
  type CheckoutPageName,
  FINAL_PAGE,
  percentile,
} from './checkout-load';
import type { LoadResult } from './ledger-load';

/** What the checkout benchmark prints: its tables, ratio and median lines, and whether a run failed. */

/** Targets of issue 19. */
const RATIO_TARGET = 0.1;
const NON_FINAL_P50_TARGET_MS = 4;

export interface Measured<T> {
  result: T;
  /** CPU time of this process (the two apps) during the run. */
  appCpuMs: number;
  /** CPU time of the machine's postgres processes during the run (process-cpu.ts; NaN where unreadable). */
  dbCpuMs: number;
  round: number;
}

export interface StoreReport {
  store: Store;
  sessionStore: string;
  checkouts: Measured<CheckoutLoadResult>[];
  transfers: Measured<LoadResult>[];
  warmErrors: string[];
  completedOrders: number;
  reportedOrders: number;
  violations: number;
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
      `${fixed(r.p99Ms, 1)} | ${perOp(r.loadCpuMs, r.count)} | ${perOp(m.appCpuMs, r.count)} | ` +
      `${perOp(m.dbCpuMs, r.count)} | ${perPage} |`
    );
  };
  const lines = [
    `## Sessions in ${title} (${report.sessionStore}): storefront and omnitron in this process, pool ${POOL_SIZE} each`,
    '',
    '| run | concurrency | round | ops | errors | ops/s | p50 ms | p99 ms | CPU ms/op: load process | app | postgres | app CPU ms/page |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.flatMap((c) =>
      roundsAt(report, c).flatMap(({ checkout, transfer }) => [
        runRow('checkout (7 requests)', checkout, perOp(checkout.appCpuMs, checkout.result.requests)),
        runRow('create_transfer', transfer, '-'),
      ]),
    ),
    '',
    `| concurrency | checkouts/s | transfers/s | checkouts/transfers, median of rounds (target >= ${RATIO_TARGET}) | app CPU ms per page | per transfer | a page in transfers of app CPU | postgres CPU ms per page | per transfer |`,
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...CONCURRENCIES.map((c) => {
      const rounds = roundsAt(report, c);
      // CPU per operation over all rounds: a run's CPU time over its requests (a page) or its transfers.
      const cpuPerOp = (runs: Measured<{ count: number; requests?: number }>[], cpu: 'appCpuMs' | 'dbCpuMs'): number =>
        runs.reduce((sum, m) => sum + m[cpu], 0) /
        Math.max(
          runs.reduce((sum, m) => sum + (m.result.requests ?? m.result.count), 0),
          1,
        );
      const checkoutRuns = rounds.map((r) => r.checkout);
      const transferRuns = rounds.map((r) => r.transfer);
      const pageCpu = cpuPerOp(checkoutRuns, 'appCpuMs');
      const transferCpu = cpuPerOp(transferRuns, 'appCpuMs');
      const pageDb = cpuPerOp(checkoutRuns, 'dbCpuMs');
      const transferDb = cpuPerOp(transferRuns, 'dbCpuMs');
      return (
        `| ${c} | ${fixed(median(rounds.map((r) => rate(r.checkout.result))), 1)} | ` +
        `${fixed(median(rounds.map((r) => rate(r.transfer.result))), 1)} | ${fixed(ratioAt(report, c), 3)} | ` +
        `${fixed(pageCpu, 2)} | ${fixed(transferCpu, 2)} | ${fixed(pageCpu / transferCpu, 2)} | ` +
        `${fixed(pageDb, 2)} | ${fixed(transferDb, 2)} |`
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

export function failed(report: StoreReport): boolean {
  return (
    report.violations > 0 ||
    report.completedOrders !== report.reportedOrders ||
    report.warmErrors.length > 0 ||
    [...report.checkouts, ...report.transfers].some((m) => m.result.errors > 0)
  );
}

/** The whole output: the machine, a section per session store, then the ratio and non-final median lines. */
export function reportLines(reports: StoreReport[], startedAt: number): string[] {
  return [
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
}
