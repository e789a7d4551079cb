import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger writes whose cost does not grow with history on long-lived connections (docs/ledger.md, "One round
 * trip", plan stability). PL/pgSQL caches each statement's plan per connection. A plan made while a table was small
 * stays in use until the table's statistics change, and on a server without autovacuum (this machine's shared one)
 * they never do: the balance trigger's join, planned when loyalty_transaction held a few rows, kept scanning the
 * whole table, so a transfer on a connection opened early cost 0.8 ms, then 4.3, 7.7 and 11.9 ms after each 20,000
 * more transfers, while a new connection stayed at 0.8 ms.
 *
 * - The trigger's check and the money functions may not scan a table or hash- or merge-join (settings of the function alone): its plan probes
 *   indexes for the few transactions a statement touched, whatever the statistics were when it was made. (EXECUTE,
 *   planning it at every statement, was as flat but cost 0.4 ms more per transfer.)
 * - ledger_transfer locks its accounts by primary key alone (the channel is checked by the reads after the lock):
 *   with the channel in the lock's WHERE, a plan made on a small table read every account of the channel through
 *   the (channel_id, ...) index.
 */
export class LedgerPlanStability1765050000000 implements MigrationInterface {
  name = 'LedgerPlanStability1765050000000';

  async up(q: QueryRunner): Promise<void> {
    // Whatever the tables' statistics say when a connection first plans the check, it probes indexes: the touched
    // transactions are a handful, each table is read by primary key or by transaction_id.
    // The same for the money functions: every statement in them reads a few rows through an index (an account, an
    // order's transactions, an idempotency key), and a plan made on a small table must not scan it once it is large.
    for (const signature of [
      '"ledger_check_postings_balanced"()',
      '"ledger_claim_key"(integer, varchar, varchar, varchar, timestamptz)',
      '"ledger_transfer"(integer, integer, integer, numeric, integer, varchar, varchar, uuid, timestamptz, numeric)',
      '"ledger_pay_order"(integer, integer, varchar, integer, varchar, numeric, integer, varchar, varchar, uuid, timestamptz)',
      '"ledger_refund"(varchar, integer, integer, numeric, integer, varchar, integer, varchar, numeric, numeric, varchar, integer, varchar, varchar, uuid, uuid, timestamptz, numeric, varchar)',
      '"ledger_adjust"(integer, integer, numeric, boolean, varchar, integer, varchar, varchar, uuid, timestamptz, numeric)',
    ]) {
      await q.query(
        `ALTER FUNCTION ${signature} SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off`,
      );
    }
    const transfer = await this.functionSource(q, 'ledger_transfer');
    const locked = `PERFORM 1 FROM "loyalty_account"
          WHERE "id" IN (p_source, p_destination) AND "channel_id" = p_channel AND "kind" IN ('customer', 'invoice')
          ORDER BY "id" FOR NO KEY UPDATE;`;
    if (!transfer.includes(locked)) throw new Error('ledger_transfer is not the function this migration changes');
    await q.query(
      transfer.replace(
        locked,
        `PERFORM 1 FROM "loyalty_account"
          WHERE "id" IN (p_source, p_destination) AND "kind" IN ('customer', 'invoice')
          ORDER BY "id" FOR NO KEY UPDATE;`,
      ),
    );
  }

  async down(): Promise<void> {
    // The functions' earlier bodies behave the same; nothing to undo that matters (1765020000000 drops them).
  }

  /** The function's CREATE OR REPLACE statement as the server holds it. */
  private async functionSource(q: QueryRunner, name: string): Promise<string> {
    const rows = (await q.query(`SELECT pg_get_functiondef(p.oid) AS source FROM pg_proc p WHERE p.proname = $1`, [
      name,
    ])) as { source: string }[];
    if (rows.length !== 1) throw new Error(`${name}: ${rows.length} functions`);
    return rows[0].source;
  }
}
