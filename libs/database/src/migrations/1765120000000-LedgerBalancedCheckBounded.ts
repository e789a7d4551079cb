import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry check (`ledger_check_postings_balanced`, the statement trigger on `loyalty_transfer`) driven by
 * the statement's own transactions, whatever the planner thinks of the tables' sizes.
 *
 * Found growing the ledger for `npm run bench:scale`: the check joined the statement's distinct transactions
 * (estimated at PostgreSQL's default of 200 rows) to `loyalty_transaction`, and with the function's hash and merge
 * joins off (migration 1765050000000) and stale statistics the planner chose a nested loop over *every*
 * transaction with the statement's ones as a join filter: 212 million comparisons, 15 s, for an insert of 5,000
 * transactions on a ledger of 45,000. The same plan would make a single payment's check cost grow with history.
 * A LATERAL subquery per touched transaction fixes the order: each is an index lookup of the transaction and of its
 * postings, so the check costs what the statement inserted, never what the ledger holds.
 */
export class LedgerBalancedCheckBounded1765120000000 implements MigrationInterface {
  name = 'LedgerBalancedCheckBounded1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION "ledger_check_postings_balanced"() RETURNS trigger LANGUAGE plpgsql
        SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
      DECLARE
        bad RECORD;
      BEGIN
        SELECT touched."transaction_id" AS "id", s.postings, s.total, s.foreign_postings
          INTO bad
          FROM (SELECT DISTINCT "transaction_id" FROM new_postings) touched
         CROSS JOIN LATERAL (
           SELECT count(p."id") AS postings, coalesce(sum(p."amount"), 0) AS total,
                  count(p."id") FILTER (WHERE p."currency" <> tx."currency" OR p."channel_id" <> tx."channel_id"
                                           OR a."currency" <> p."currency" OR a."channel_id" <> p."channel_id")
                    AS foreign_postings
             FROM "loyalty_transaction" tx
             JOIN "loyalty_transfer" p ON p."transaction_id" = tx."id"
             JOIN "loyalty_account" a ON a."id" = p."account_id"
            WHERE tx."id" = touched."transaction_id") s
         WHERE s.postings < 2 OR s.total <> 0 OR s.foreign_postings > 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger: transaction % is unbalanced (% postings, sum %, % in another currency or channel)',
            bad."id", bad.postings, bad.total, bad.foreign_postings USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
  }

  async down(): Promise<void> {
    // The earlier body checks the same rules; only its plan differs. Nothing to undo that matters.
  }
}
