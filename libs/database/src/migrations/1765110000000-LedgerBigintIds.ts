import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `bigint` ids for transactions, postings and idempotency keys (issue 21): `integer` stops at 2^31 postings. Ids
 * stay JSON numbers (the pg driver reads int8 as a number, refusing one past 2^53: libs/database/src/int8.ts).
 *
 * The columns (and the transaction ids that point at them), their sequences, and the ledger functions' variables
 * and parameters that hold a transaction id. The functions are rewritten from their installed definitions, so this
 * migration changes only the types, whatever migrations 1765020000000-1765040000000 installed.
 *
 * Locks: `ALTER COLUMN ... TYPE bigint` rewrites `loyalty_transfer`, `loyalty_transaction` and
 * `loyalty_idempotency_key` and their indexes under an ACCESS EXCLUSIVE lock: nothing reads or writes the ledger
 * meanwhile. Measured by `npm run bench:scale` on the 2-core machine of docs/benchmarks.md: 14 to 17 s for
 * `loyalty_transfer` at 5 million postings (the postings table with its seven indexes dominates). An installation with history runs it in a maintenance window, or ahead of
 * this migration online: a new bigint column per id kept equal by a trigger, backfilled in batches, then swapped
 * with its indexes built CONCURRENTLY in one short lock (docs/ledger.md, "bigint ids"); this migration then finds
 * the columns bigint already and only converts what is left.
 */
export class LedgerBigintIds1765110000000 implements MigrationInterface {
  name = 'LedgerBigintIds1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await this.retype(q, 'bigint');
  }

  async down(q: QueryRunner): Promise<void> {
    await this.retype(q, 'integer');
  }

  private async retype(q: QueryRunner, type: 'bigint' | 'integer'): Promise<void> {
    const from = type === 'bigint' ? 'integer' : 'bigint';
    for (const [table, columns] of COLUMNS) {
      const alter = columns.map((column) => `ALTER COLUMN "${column}" TYPE ${type}`).join(', ');
      await q.query(`ALTER TABLE "${table}" ${alter}`);
      await q.query(`ALTER SEQUENCE "${table}_id_seq" AS ${type}`);
    }
    for (const name of FUNCTIONS) {
      const rows = (await q.query(
        `SELECT p.oid::integer AS "oid", pg_get_functiondef(p.oid) AS "def"
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE p.proname = $1 AND n.nspname = current_schema()`,
        [name],
      )) as { oid: number; def: string }[];
      for (const { oid, def } of rows) {
        const retyped = TRANSACTION_ID_NAMES.reduce(
          (text, id) => text.replace(new RegExp(`\\b${id} ${from}\\b`, 'g'), `${id} ${type}`),
          def,
        );
        if (retyped === def) continue;
        // A parameter's type is part of the function's identity: the old one is dropped, not replaced.
        await q.query(`DROP FUNCTION ${await signature(q, oid)}`);
        await q.query(retyped);
      }
    }
  }
}

async function signature(q: QueryRunner, oid: number): Promise<string> {
  const rows = (await q.query(`SELECT $1::integer::regprocedure::text AS "signature"`, [oid])) as {
    signature: string;
  }[];
  return rows[0].signature;
}

/** Each table's transaction, posting or idempotency key ids. */
const COLUMNS: [string, string[]][] = [
  ['loyalty_transaction', ['id', 'refunded_transaction_id']],
  ['loyalty_transfer', ['id', 'transaction_id']],
  ['loyalty_idempotency_key', ['id']],
];

/** The ledger functions, and the names their definitions give a transaction id (a variable or a parameter). */
const FUNCTIONS = ['ledger_transfer', 'ledger_pay_order', 'ledger_refund', 'ledger_adjust'];
const TRANSACTION_ID_NAMES = ['tx_id', 'reversal_id', 'p_payment_id'];
