import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Pool, type PoolClient } from 'pg';
import { AppConfig } from '@app/common';
import { dataSourceOptions } from '@app/database';
import { LedgerService } from '@app/ledger';
import { createLedgerContext } from './ledger-context';

/**
 * The load generator: its own process, started by ledger-bench for one run. It drives `concurrency` workers for at
 * most `durationMs` and `maxOps` operations, each worker on its own pair of accounts (or its own customer), and
 * prints one JSON line: count, errors, elapsed and latencies.
 */
export interface LoadSpec {
  mode:
    | 'http-transfer'
    | 'sql-transfer'
    | 'sql-function'
    | 'http-account'
    | 'http-health'
    | 'service-transfer'
    | 'service-pay';
  concurrency: number;
  durationMs: number;
  maxOps: number;
  databaseUrl: string;
  poolSize: number;
  /** For http: the omnitron instances' base URLs (worker i uses instance i mod n, as a balancer would) and a token. */
  baseUrls?: string[];
  token?: string;
  /** Worker i uses pairs[i] (transfers) or customers[i] (payments). */
  pairs: [number, number][];
  customers: number[];
}

export interface LoadResult {
  mode: LoadSpec['mode'];
  concurrency: number;
  count: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time the load process itself spent during the timed part (user + system). */
  loadCpuMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Sends a request (a JSON body when given) over a keep-alive agent and answers the status, having read the response. */
export function send(
  agent: Agent,
  target: URL,
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        timeout: 30_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          resolve(res.statusCode ?? 0);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a JSON body over a keep-alive agent and answers the status, having read the response to its end. */
export function postJson(
  agent: Agent,
  target: URL,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  return send(agent, target, 'POST', path, headers, body);
}

/** The single-call run: the whole transfer as the app sends it, one `ledger_transfer` statement (migration 1765020000000). */
export async function sqlFunctionTransfer(pool: Pool, source: number, destination: number): Promise<void> {
  await pool.query({
    name: 'ledger_transfer',
    text: 'SELECT transaction_uuid, replayed FROM ledger_transfer($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
    values: [1, source, destination, '0.01', null, null, null, randomUUID(), new Date(), '999999999999.99'],
  });
}

/**
 * The "before": the ten statements the API ran for one transfer until the ledger's SQL functions (LedgerService
 * through LedgerRepository, as a query log showed them), replayed through plain pg. It stays as the baseline that
 * the issue 20 targets are measured against; the API now sends what sqlFunctionTransfer sends.
 */
export async function sqlTransfer(client: PoolClient, source: number, destination: number): Promise<void> {
  const columns =
    'id, channel_id, kind, number, user_id, currency, balance::text AS balance, debit_allowed, created_date, modified_date';
  // READ COMMITTED is the connection's default here as in the app (dataSourceOptions): no SET TRANSACTION.
  await client.query('START TRANSACTION');
  try {
    await client.query(`SELECT ${columns} FROM loyalty_account WHERE channel_id = $1 AND id = $2`, [1, source]);
    await client.query(`SELECT ${columns} FROM loyalty_account WHERE channel_id = $1 AND id = $2`, [1, destination]);
    const ids = [source, destination].sort((a, b) => a - b);
    const locked = await client.query<{ id: number; balance: string }>(
      `SELECT ${columns} FROM loyalty_account WHERE id = ANY($1::int[]) ORDER BY id ASC FOR NO KEY UPDATE`,
      [ids],
    );
    const balance = new Map(locked.rows.map((r) => [r.id, BigInt(r.balance.replace('.', ''))]));
    const now = new Date();
    const after = (id: number, delta: bigint): string => {
      const minor = balance.get(id)! + delta;
      return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;
    };
    const sourceAfter = after(source, -1n);
    const destinationAfter = after(destination, 1n);
    await client.query('UPDATE loyalty_account SET balance = $1, modified_date = $2 WHERE id = $3', [
      sourceAfter,
      now,
      source,
    ]);
    await client.query('UPDATE loyalty_account SET balance = $1, modified_date = $2 WHERE id = $3', [
      destinationAfter,
      now,
      destination,
    ]);
    const transaction = await client.query<{ id: number }>(
      `INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, order_id, order_number, user_id,
         reference, actor_id, reason, idempotency_key, refunded_transaction_id, created_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [randomUUID(), 1, 'transfer', 'try', '0.01', null, null, null, null, null, null, null, null, now],
    );
    const transactionId = transaction.rows[0].id;
    await client.query(
      `INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, balance_after, created_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7), ($8, $9, $10, $11, $12, $13, $14)`,
      [
        transactionId,
        source,
        1,
        'try',
        '-0.01',
        sourceAfter,
        now,
        transactionId,
        destination,
        1,
        'try',
        '0.01',
        destinationAfter,
        now,
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const deadline = Date.now() + spec.durationMs;
  let operation: (worker: number, n: number) => Promise<void>;
  let close = (): Promise<void> => Promise.resolve();

  switch (spec.mode) {
    case 'http-transfer':
    case 'http-account':
    case 'http-health': {
      // node:http with a keep-alive agent: the client's own CPU cost stays small next to the server's (fetch costs
      // several times more per request, and client and server share the same cores).
      const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
      close = () => {
        agent.destroy();
        return Promise.resolve();
      };
      const targets = spec.baseUrls!.map((url) => new URL(url));
      const mode = spec.mode;
      operation = async (worker) => {
        const [source, destination] = spec.pairs[worker];
        const target = targets[worker % targets.length];
        const auth = { Authorization: `Token ${spec.token}` };
        let status: number;
        let wanted = 200;
        if (mode === 'http-transfer') {
          const body = JSON.stringify({ amount: '0.01', source_account: source, destination_account: destination });
          const path = `/api/v1/remote/1/loyalty_account/${source}/create_transfer/`;
          status = await postJson(agent, target, path, { ...auth, 'Content-Type': 'application/json' }, body);
          wanted = 204;
        } else if (mode === 'http-account') {
          status = await send(agent, target, 'GET', `/api/v1/remote/1/loyalty_account/${source}/`, auth);
        } else {
          status = await send(agent, target, 'GET', '/health/', {});
        }
        if (status !== wanted) throw new Error(`status ${status}`);
      };
      break;
    }
    case 'sql-transfer':
    case 'sql-function': {
      // The app's connection settings (dataSourceOptions), so both sides start sessions the same way.
      const pool = new Pool({
        connectionString: spec.databaseUrl,
        max: spec.poolSize,
        ...(dataSourceOptions({ url: spec.databaseUrl, poolSize: spec.poolSize, statementTimeoutMs: 15_000 })
          .extra as object),
      });
      close = () => pool.end();
      // Connections open before the clock starts, as the app's pool is open after its warm-up run.
      const warm = await Promise.all(
        Array.from({ length: Math.min(spec.concurrency, spec.poolSize) }, () => pool.connect()),
      );
      for (const client of warm) client.release();
      operation =
        spec.mode === 'sql-function'
          ? async (worker) => {
              const [source, destination] = spec.pairs[worker];
              await sqlFunctionTransfer(pool, source, destination);
            }
          : async (worker) => {
              const [source, destination] = spec.pairs[worker];
              const client = await pool.connect();
              try {
                await sqlTransfer(client, source, destination);
              } finally {
                client.release();
              }
            };
      break;
    }
    case 'service-transfer':
    case 'service-pay': {
      const config = AppConfig.fromEnv({
        DATABASE_URL: spec.databaseUrl,
        DATABASE_POOL_SIZE: String(spec.poolSize),
        LOG_LEVEL: 'silent',
        MIGRATIONS_RUN: 'false',
      });
      const context = await createLedgerContext(config);
      const ledger = context.get(LedgerService, { strict: false });
      close = () => context.close();
      const runId = Date.now();
      operation =
        spec.mode === 'service-transfer'
          ? async (worker) => {
              const [source, destination] = spec.pairs[worker];
              await ledger.transfer(1, { amount: 1n, sourceId: source, destinationId: destination });
            }
          : async (worker, n) => {
              const user = spec.customers[worker];
              await ledger.payOrder(1, { orderNumber: `bench-${user}-${runId}-${n}`, amount: 1n });
            };
      break;
    }
  }

  const begin = Date.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async (_, worker) => {
      while (Date.now() < deadline && started < spec.maxOps) {
        const n = started++;
        const t0 = performance.now();
        try {
          await operation(worker, n);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
        }
      }
    }),
  );
  const elapsedMs = Date.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  await close();
  latencies.sort((a, b) => a - b);
  return {
    mode: spec.mode,
    concurrency: spec.concurrency,
    count: latencies.length,
    errors,
    firstError,
    elapsedMs,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    loadCpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  run(spec)
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    });
}
