import type { MigrationInterface, QueryRunner } from 'typeorm';
import { editInstalledFunction } from '../function-edits';

/**
 * The kept counts made safe by construction (from a review of migrations 1765090000000 and 1765100000000):
 *
 * - **Lock order.** Every count trigger now takes its channel's `'all'` row first. Two database transactions of one
 *   stripe then queue on that one row before either holds another count row, whatever else their statements touch
 *   and in whatever order. Before, rows were taken in key order, and `'a:<account>'` sorts before `'all'`: two
 *   transactions of one stripe posting to SALE and BANK in separate statements in opposite orders could deadlock.
 *   None does today (each inserts its transaction row first, which takes the transaction count's `'all'`), but no
 *   code may depend on that. The unstriped rows of a customer (`'u:<user>'`, `'a:<account>'`) come after the striped
 *   ones, in key order: a transaction that posts to two customers in two statements in opposite orders could still
 *   deadlock on them; no money operation does (each posts once, or to one customer), and PostgreSQL would end such a
 *   deadlock with an error, not a wrong count.
 * - **Accounts counted once.** An account's channel, kind, currency and owner never change and accounts are never
 *   deleted (the counts and the balances assume both): a trigger now refuses either, as the postings' and
 *   transactions' append-only triggers do.
 */
export class LedgerCountSafety1765150000000 implements MigrationInterface {
  name = 'LedgerCountSafety1765150000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name, before, after] of ORDERS) await editInstalledFunction(q, name, [[before, after]]);
    await q.query(`
      CREATE FUNCTION "ledger_refuse_account_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'ledger: accounts are never deleted (account %)', OLD."id" USING ERRCODE = 'check_violation';
        END IF;
        RAISE EXCEPTION 'ledger: an account''s channel, kind, currency and owner never change (account %)', OLD."id"
          USING ERRCODE = 'check_violation';
      END
      $$`);
    await q.query(
      `CREATE TRIGGER "trg_loyalty_account_kept" BEFORE DELETE ON "loyalty_account" FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_account_change"()`,
    );
    await q.query(`
      CREATE TRIGGER "trg_loyalty_account_fixed" BEFORE UPDATE OF "channel_id", "kind", "currency", "user_id"
        ON "loyalty_account" FOR EACH ROW
        WHEN (OLD."channel_id" IS DISTINCT FROM NEW."channel_id" OR OLD."kind" IS DISTINCT FROM NEW."kind"
              OR OLD."currency" IS DISTINCT FROM NEW."currency" OR OLD."user_id" IS DISTINCT FROM NEW."user_id")
        EXECUTE FUNCTION "ledger_refuse_account_change"()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "trg_loyalty_account_fixed" ON "loyalty_account"`);
    await q.query(`DROP TRIGGER "trg_loyalty_account_kept" ON "loyalty_account"`);
    await q.query(`DROP FUNCTION "ledger_refuse_account_change"()`);
    for (const [name, before, after] of ORDERS) await editInstalledFunction(q, name, [[after, before]]);
  }
}

/** Each count trigger's ORDER BY, before and after: the channel's 'all' row first. */
const ORDERS: [string, string, string][] = [
  [
    'ledger_add_system_postings',
    `ORDER BY NOT k."striped", k."channel_id", k."key"`,
    `ORDER BY k."channel_id", k."key" <> 'all', NOT k."striped", k."key"`,
  ],
  ['ledger_count_accounts', `ORDER BY n."channel_id", x."key"`, `ORDER BY n."channel_id", x."key" <> 'all', x."key"`],
  [
    'ledger_count_transactions',
    `ORDER BY n."channel_id", x."key"`,
    `ORDER BY n."channel_id", x."key" <> 'all', x."key"`,
  ],
];
