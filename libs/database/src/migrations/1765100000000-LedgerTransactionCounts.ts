import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Kept counts for the transaction list and the account list's kind filter (issue 21; the counts table is migration
 * 1765090000000's).
 *
 * `subject` 'transaction': per channel ('all'), per kind ('k:<kind>'), per user ('u:<user>') and per user and kind
 * ('u:<user>:k:<kind>'), kept by a statement trigger on `loyalty_transaction`. Every row is striped by the database
 * transaction's id (one stripe per transaction, rows taken in key order): two money operations of one stripe queue
 * on their first row, 'all', before either holds another row the other wants. Accounts also get 'k:<kind>'.
 *
 * Locks: the backfill reads `loyalty_transaction` and `loyalty_account` once under SHARE locks (writes wait).
 */
export class LedgerTransactionCounts1765100000000 implements MigrationInterface {
  name = 'LedgerTransactionCounts1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "loyalty_count" DROP CONSTRAINT "chk_loyalty_count_subject"`);
    await q.query(`ALTER TABLE "loyalty_count" ADD CONSTRAINT "chk_loyalty_count_subject"
                     CHECK ("subject" IN ('transfer', 'account', 'transaction'))`);
    await q.query(`LOCK TABLE "loyalty_transaction", "loyalty_account" IN SHARE MODE`);
    await q.query(`
      CREATE FUNCTION "ledger_count_transactions"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "loyalty_count" AS c ("channel_id", "subject", "key", "stripe", "n")
        SELECT n."channel_id", 'transaction', x."key", (txid_current() % 16)::smallint, count(*)
          FROM new_transactions n
         CROSS JOIN LATERAL (VALUES ('all'), ('k:' || n."kind"), ('u:' || n."user_id"),
                                    ('u:' || n."user_id" || ':k:' || n."kind")) AS x("key")
         WHERE x."key" IS NOT NULL
         GROUP BY n."channel_id", x."key"
         ORDER BY n."channel_id", x."key"
        ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = c."n" + excluded."n";
        RETURN NULL;
      END
      $$`);
    await q.query(
      `CREATE TRIGGER "trg_loyalty_transaction_count" AFTER INSERT ON "loyalty_transaction" REFERENCING NEW TABLE AS new_transactions FOR EACH STATEMENT EXECUTE FUNCTION "ledger_count_transactions"()`,
    );
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_count_accounts"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "loyalty_count" AS c ("channel_id", "subject", "key", "stripe", "n")
        SELECT n."channel_id", 'account', x."key", (txid_current() % 16)::smallint, count(*)
          FROM new_accounts n
         CROSS JOIN LATERAL (VALUES ('all'), ('c:' || n."currency"), ('k:' || n."kind")) AS x("key")
         GROUP BY n."channel_id", x."key"
         ORDER BY n."channel_id", x."key"
        ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = c."n" + excluded."n";
        RETURN NULL;
      END
      $$`);
    await q.query(`
      INSERT INTO "loyalty_count" ("channel_id", "subject", "key", "stripe", "n")
      SELECT x."channel_id", 'transaction', k."key", 0, count(*)
        FROM "loyalty_transaction" x
       CROSS JOIN LATERAL (VALUES ('all'), ('k:' || x."kind"), ('u:' || x."user_id"),
                                  ('u:' || x."user_id" || ':k:' || x."kind")) AS k("key")
       WHERE k."key" IS NOT NULL
       GROUP BY x."channel_id", k."key"`);
    await q.query(`
      INSERT INTO "loyalty_count" ("channel_id", "subject", "key", "stripe", "n")
      SELECT a."channel_id", 'account', 'k:' || a."kind", 0, count(*)
        FROM "loyalty_account" a GROUP BY a."channel_id", a."kind"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "trg_loyalty_transaction_count" ON "loyalty_transaction"`);
    await q.query(`DROP FUNCTION "ledger_count_transactions"()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_count_accounts"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "loyalty_count" AS c ("channel_id", "subject", "key", "stripe", "n")
        SELECT n."channel_id", 'account', x."key", (txid_current() % 16)::smallint, count(*)
          FROM new_accounts n
         CROSS JOIN LATERAL (VALUES ('all'), ('c:' || n."currency")) AS x("key")
         GROUP BY n."channel_id", x."key"
         ORDER BY n."channel_id", x."key"
        ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = c."n" + excluded."n";
        RETURN NULL;
      END
      $$`);
    await q.query(
      `DELETE FROM "loyalty_count" WHERE "subject" = 'transaction' OR ("subject" = 'account' AND "key" LIKE 'k:%')`,
    );
    await q.query(`ALTER TABLE "loyalty_count" DROP CONSTRAINT "chk_loyalty_count_subject"`);
    await q.query(`ALTER TABLE "loyalty_count" ADD CONSTRAINT "chk_loyalty_count_subject"
                     CHECK ("subject" IN ('transfer', 'account'))`);
  }
}
