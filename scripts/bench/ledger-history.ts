import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { createBenchDatabase } from './bench-database';

/**
 * `npm run bench:ledger:history`: whether a transfer's cost grows with the ledger's history on a connection that has
 * been open since the ledger was small (PL/pgSQL caches its plans per connection; see migration 1765050000000). One
 * long-lived connection transfers, then another connection adds HISTORY_STEP transfers (default 20,000, at most
 * 100,000) between rounds; a new connection is measured beside it at the end. Prints ms per transfer per round:
 * flat is right. HISTORY_ROUNDS rounds (default 4, at most 10) of 500 transfers each. Loopback only.
 */
const ROUNDS = Math.min(Math.max(Math.trunc(Number(process.env.HISTORY_ROUNDS ?? 4)) || 1, 1), 10);
const STEP = Math.min(Math.max(Math.trunc(Number(process.env.HISTORY_STEP ?? 20_000)) || 1, 1), 100_000);
const PER_ROUND = 500;
const TRANSFER = {
  name: 'ledger_transfer',
  text: 'SELECT transaction_uuid FROM ledger_transfer($1, $2, $3, 0.01, NULL, NULL, NULL, gen_random_uuid(), now(), 1e12)',
};

async function timed(client: Client, source: number, destination: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < PER_ROUND; i++) await client.query({ ...TRANSFER, values: [1, source, destination] });
  return (performance.now() - start) / PER_ROUND;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('loyalty_history');
  const clients: Client[] = [];
  const connect = async (): Promise<Client> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  };
  try {
    await (
      await new DataSource({
        ...dataSourceOptions({ url: database.url, poolSize: 1, statementTimeoutMs: 600_000, migrationsRun: true }),
      }).initialize()
    ).destroy();
    const early = await connect();
    const rows = await early.query<{ id: number }>(
      `INSERT INTO loyalty_account (channel_id, kind, number, user_id, currency, balance, debit_allowed, created_date,
         modified_date)
       VALUES (1, 'customer', 'history-a', 1, 'try', 100000000, false, now(), now()),
              (1, 'customer', 'history-b', 2, 'try', 0, false, now(), now()) RETURNING id`,
    );
    const [source, destination] = rows.rows.map((r) => r.id);
    const grower = await connect();
    const lines = [
      '| postings before the round | ms per transfer, connection open since the start |',
      '| ---: | ---: |',
    ];
    for (let round = 0; round < ROUNDS; round++) {
      const { rows: count } = await grower.query<{ n: string }>('SELECT count(*)::text AS n FROM loyalty_transfer');
      lines.push(`| ${count[0].n} | ${(await timed(early, source, destination)).toFixed(3)} |`);
      const started = performance.now();
      // In statements of 1,000 (one statement is one transaction: its own dead row versions cannot be pruned).
      for (let done = 0; done < STEP; done += 1000) {
        await grower.query(
          `SELECT ledger_transfer(1, $1, $2, 0.01, NULL, NULL, NULL, gen_random_uuid(), now(), 1e12)
             FROM generate_series(1, $3)`,
          [source, destination, Math.min(1000, STEP - done)],
        );
      }
      process.stderr.write(`round ${round}: ${STEP} more transfers in ${Math.round(performance.now() - started)} ms\n`);
    }
    const late = await connect();
    await timed(late, source, destination); // its plans made now, on the large tables
    lines.push(
      '',
      `A new connection at the end: ${(await timed(late, source, destination)).toFixed(3)} ms per transfer`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const client of clients) await client.end();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
