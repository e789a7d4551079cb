import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ledger lists that do not grow with history (issue 21): exact counts kept, not counted, and an index behind every
 * filter and ordering.
 *
 * `loyalty_count` holds, per channel, the number of postings (`subject` 'transfer') for the whole channel ('all'),
 * per currency ('c:<currency>'), per account ('a:<id>'), per owner ('u:<user>') and per owner and currency
 * ('u:<user>:<currency>'), and the number of accounts (`subject` 'account': 'all' and 'c:<currency>'). Statement
 * triggers over the inserted rows keep them (one query per INSERT). Rows every writer of a channel touches (the
 * channel's and currency's, and a system account's) are striped by the database transaction's id like the system
 * balances; a customer's rows are not (its account row is locked by the same operation anyway).
 *
 * Lock order: each statement takes its count rows striped ones first, then in key order, and every statement of a
 * transaction uses one stripe; so two transactions of one stripe queue on their first striped row, before either
 * holds anything else the other wants, and never deadlock. The system balances (migration 1765080000000) are taken
 * after the counts, in the same trigger.
 *
 * Locks: the new indexes and the backfill hold SHARE locks on `loyalty_transfer`, `loyalty_transaction` and
 * `loyalty_account` (writes wait, reads go on) for as long as building them takes: on a ledger with history, create
 * the indexes first with `CREATE INDEX CONCURRENTLY IF NOT EXISTS` (the statements below, one by one, outside a
 * transaction); the migration then finds them and only backfills the counts (one pass over the postings).
 */
export class LedgerListCounts1765090000000 implements MigrationInterface {
  name = 'LedgerListCounts1765090000000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of INDEXES) await q.query(`CREATE INDEX IF NOT EXISTS ${index}`);
    await q.query(`
      CREATE TABLE "loyalty_count" (
        "channel_id" integer NOT NULL,
        "subject" varchar(16) NOT NULL,
        "key" varchar(80) NOT NULL,
        "stripe" smallint NOT NULL,
        "n" bigint NOT NULL,
        CONSTRAINT "pk_loyalty_count" PRIMARY KEY ("channel_id", "subject", "key", "stripe"),
        CONSTRAINT "chk_loyalty_count_subject" CHECK ("subject" IN ('transfer', 'account')),
        CONSTRAINT "chk_loyalty_count_stripe" CHECK ("stripe" BETWEEN 0 AND 15)
      )`);

    // Postings: replaces the system-balance trigger function with one that counts first, then adds the balances.
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_add_system_postings"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        own_stripe smallint := (txid_current() % 16)::smallint;
      BEGIN
        INSERT INTO "loyalty_count" AS c ("channel_id", "subject", "key", "stripe", "n")
        SELECT k."channel_id", 'transfer', k."key", k."stripe", count(*)
          FROM (SELECT p."channel_id", x."key", x."striped", CASE WHEN x."striped" THEN own_stripe ELSE 0 END AS "stripe"
                  FROM new_postings p
                  JOIN "loyalty_account" a ON a."id" = p."account_id"
                 CROSS JOIN LATERAL (VALUES
                   ('all', true),
                   ('c:' || p."currency", true),
                   ('a:' || p."account_id", a."kind" IN ('sale', 'bank', 'refund')),
                   ('u:' || a."user_id", false),
                   ('u:' || a."user_id" || ':' || p."currency", false)
                 ) AS x("key", "striped")
                 WHERE x."key" IS NOT NULL) k
         GROUP BY k."channel_id", k."key", k."striped", k."stripe"
         ORDER BY NOT k."striped", k."channel_id", k."key"
        ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = c."n" + excluded."n";

        INSERT INTO "loyalty_system_balance" AS s ("account_id", "stripe", "balance")
        SELECT p."account_id", own_stripe, sum(p."amount")
          FROM new_postings p
          JOIN "loyalty_account" a ON a."id" = p."account_id" AND a."kind" IN ('sale', 'bank', 'refund')
         GROUP BY p."account_id"
         ORDER BY p."account_id"
        ON CONFLICT ("account_id", "stripe") DO UPDATE SET "balance" = s."balance" + excluded."balance";
        RETURN NULL;
      END
      $$`);

    // Accounts: the channel's and the currency's count, striped.
    await q.query(`
      CREATE FUNCTION "ledger_count_accounts"() RETURNS trigger LANGUAGE plpgsql AS $$
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
      `CREATE TRIGGER "trg_loyalty_account_count" AFTER INSERT ON "loyalty_account" REFERENCING NEW TABLE AS new_accounts FOR EACH STATEMENT EXECUTE FUNCTION "ledger_count_accounts"()`,
    );

    // The history so far, in stripe 0 (the triggers exist already, and this migration's locks hold writers back).
    await q.query(`
      INSERT INTO "loyalty_count" ("channel_id", "subject", "key", "stripe", "n")
      SELECT k."channel_id", 'transfer', k."key", 0, count(*)
        FROM (SELECT p."channel_id", x."key"
                FROM "loyalty_transfer" p
                JOIN "loyalty_account" a ON a."id" = p."account_id"
               CROSS JOIN LATERAL (VALUES ('all'), ('c:' || p."currency"), ('a:' || p."account_id"),
                                          ('u:' || a."user_id"), ('u:' || a."user_id" || ':' || p."currency")) AS x("key")
               WHERE x."key" IS NOT NULL) k
       GROUP BY k."channel_id", k."key"
      ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = "loyalty_count"."n" + excluded."n"`);
    await q.query(`
      INSERT INTO "loyalty_count" ("channel_id", "subject", "key", "stripe", "n")
      SELECT a."channel_id", 'account', x."key", 0, count(*)
        FROM "loyalty_account" a
       CROSS JOIN LATERAL (VALUES ('all'), ('c:' || a."currency")) AS x("key")
       GROUP BY a."channel_id", x."key"
      ON CONFLICT ("channel_id", "subject", "key", "stripe") DO UPDATE SET "n" = "loyalty_count"."n" + excluded."n"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "trg_loyalty_account_count" ON "loyalty_account"`);
    await q.query(`DROP FUNCTION "ledger_count_accounts"()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_add_system_postings"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO "loyalty_system_balance" AS s ("account_id", "stripe", "balance")
        SELECT p."account_id", (txid_current() % 16)::smallint, sum(p."amount")
          FROM new_postings p
          JOIN "loyalty_account" a ON a."id" = p."account_id" AND a."kind" IN ('sale', 'bank', 'refund')
         GROUP BY p."account_id"
         ORDER BY p."account_id"
        ON CONFLICT ("account_id", "stripe") DO UPDATE SET "balance" = s."balance" + excluded."balance";
        RETURN NULL;
      END
      $$`);
    await q.query(`DROP TABLE "loyalty_count"`);
    for (const index of INDEXES) await q.query(`DROP INDEX IF EXISTS ${index.split(' ')[0]}`);
  }
}

/** Every list's filter and ordering, served by an index range scan (the EXPLAIN test checks each list query). */
const INDEXES = [
  // Postings: the channel's newest first, and by currency; by account is ix_loyalty_transfer_account.
  `"ix_loyalty_transfer_channel_id" ON "loyalty_transfer" ("channel_id", "id")`,
  `"ix_loyalty_transfer_channel_currency" ON "loyalty_transfer" ("channel_id", "currency", "id")`,
  // Transactions: newest first, by owner, by kind; by order is ix_loyalty_transaction_order.
  `"ix_loyalty_transaction_channel_id" ON "loyalty_transaction" ("channel_id", "id")`,
  `"ix_loyalty_transaction_channel_user" ON "loyalty_transaction" ("channel_id", "user_id", "id")`,
  `"ix_loyalty_transaction_channel_kind" ON "loyalty_transaction" ("channel_id", "kind", "id")`,
  // Accounts: the orderings of the list by what never changes (pk, created_date, number), ties by id. Not balance
  // or modified_date: an index on either would make every balance change of every money operation a non-HOT
  // update maintaining all the table's indexes; those two orderings sort the channel's accounts (docs/ledger.md).
  `"ix_loyalty_account_channel_id" ON "loyalty_account" ("channel_id", "id")`,
  `"ix_loyalty_account_channel_created" ON "loyalty_account" ("channel_id", "created_date", "id")`,
  `"ix_loyalty_account_channel_number" ON "loyalty_account" ("channel_id", "number", "id")`,
];
