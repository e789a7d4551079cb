import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * System balances (SALE, BANK, REFUND) without summing their history (issue 21): striped running totals.
 *
 * A system account keeps no running balance on its row, so that concurrent payments never queue on the SALE row
 * (docs/ledger.md, "The hot SALE account"); its balance was the SUM of all its postings, which grows with history.
 * Now `loyalty_system_balance` holds each system account's total in STRIPES rows. A statement trigger on
 * `loyalty_transfer` (its transition table, like the balance check: one query per INSERT, not per posting) adds each
 * statement's system postings to one stripe, chosen from the database transaction's id, so every statement of a
 * transaction uses the same stripe and two concurrent transactions share a row lock only when their ids fall in the
 * same stripe. Within a statement the rows are taken in account id order; across a transaction's statements the
 * system accounts come in one order everywhere (SALE or REFUND before BANK), so two transactions on one stripe take
 * its rows in the same order and cannot deadlock.
 * A balance is the sum of at most STRIPES rows, read by primary key.
 *
 * Locks: CREATE TRIGGER takes SHARE ROW EXCLUSIVE on `loyalty_transfer` (no posting can be written) until the
 * migration commits, and the backfill reads every system posting once: on a ledger with millions of postings, run it
 * when the shop is quiet (about a second per million system postings on the development machine). Writes queue
 * behind it and go on afterwards; reads are not blocked.
 */
export class LedgerSystemBalances1765080000000 implements MigrationInterface {
  name = 'LedgerSystemBalances1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "loyalty_system_balance" (
        "account_id" integer NOT NULL,
        "stripe" smallint NOT NULL,
        "balance" numeric(24,2) NOT NULL,
        CONSTRAINT "pk_loyalty_system_balance" PRIMARY KEY ("account_id", "stripe"),
        CONSTRAINT "fk_loyalty_system_balance_account" FOREIGN KEY ("account_id") REFERENCES "loyalty_account" ("id"),
        CONSTRAINT "chk_loyalty_system_balance_stripe" CHECK ("stripe" BETWEEN 0 AND 15)
      )`);
    await q.query(`
      CREATE FUNCTION "ledger_add_system_postings"() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await q.query(
      `CREATE TRIGGER "trg_loyalty_transfer_system_balance" AFTER INSERT ON "loyalty_transfer" REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION "ledger_add_system_postings"()`,
    );
    // The history so far, in stripe 0: the trigger exists already, so no posting committed after this read is lost.
    await q.query(`
      INSERT INTO "loyalty_system_balance" ("account_id", "stripe", "balance")
      SELECT t."account_id", 0, sum(t."amount")
        FROM "loyalty_transfer" t
        JOIN "loyalty_account" a ON a."id" = t."account_id" AND a."kind" IN ('sale', 'bank', 'refund')
       GROUP BY t."account_id"
      ON CONFLICT ("account_id", "stripe") DO UPDATE SET "balance" = "loyalty_system_balance"."balance" + excluded."balance"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "trg_loyalty_transfer_system_balance" ON "loyalty_transfer"`);
    await q.query(`DROP FUNCTION "ledger_add_system_postings"()`);
    await q.query(`DROP TABLE "loyalty_system_balance"`);
  }
}
