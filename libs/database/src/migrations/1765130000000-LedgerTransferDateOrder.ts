import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The postings list with a created-date range (`created_date__gte`, `__lt`) as an index range scan (issue 21).
 * Measured by `npm run bench:scale`: a one-day range, newest first by id, took 641 ms at 5 million postings (33 ms
 * at 500,000): by id the page walks back from the newest posting to the range's end; by date the old index gave
 * the range but not its order. The list with a date range is now ordered newest first by created date (ties by id,
 * the order it nearly always has), and this index serves it, its cursors and its count.
 *
 * Locks: building the index holds a SHARE lock on `loyalty_transfer` (writes wait) for as long as it takes (about
 * 10 s at 5 million postings on the benchmark machine); on a ledger with history create it first with
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS` (the statement below), and the migration finds it.
 */
export class LedgerTransferDateOrder1765130000000 implements MigrationInterface {
  name = 'LedgerTransferDateOrder1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS "ix_loyalty_transfer_channel_created_id" ON "loyalty_transfer" ("channel_id", "created_date", "id")`,
    );
    // Its prefix: every query the old index served, the new one serves.
    await q.query(`DROP INDEX IF EXISTS "ix_loyalty_transfer_channel_created"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS "ix_loyalty_transfer_channel_created" ON "loyalty_transfer" ("channel_id", "created_date")`,
    );
    await q.query(`DROP INDEX IF EXISTS "ix_loyalty_transfer_channel_created_id"`);
  }
}
