import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's hot money operations as server-side functions (docs/ledger.md, "One round trip"), and the double-entry
 * guard at one query per statement instead of one per posting.
 *
 * - `ledger_transfer` and `ledger_pay_order` each run a whole operation in the single statement that calls them:
 *   the idempotency record, the locks (ascending id), the checks, the balance updates, the transaction and its
 *   postings. A refusal raises SQLSTATE `LDG00` with the refusal's code as the message and the account's role (or
 *   the amount a refusal names) as the detail, which aborts the statement: a refused request writes nothing, not even
 *   its idempotency key. The app maps the codes to its typed errors in one table (ledger-functions.ts). Later writes
 *   of the same operation (an outbox event, an audit row, credit lots) go into these functions too.
 * - The balance trigger was a deferred row trigger that counted and summed the transaction's postings once per
 *   posting. It is now a statement trigger over the inserted rows (a transition table): one query per INSERT, which
 *   checks every transaction the statement touched. So a transaction's postings go in with one statement, which
 *   LedgerEngine.post and both functions do; a statement that leaves any transaction unbalanced is refused at once.
 */
export class LedgerFunctions1765020000000 implements MigrationInterface {
  name = 'LedgerFunctions1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "trg_loyalty_transfer_balanced" ON "loyalty_transfer"`);
    await q.query(`DROP FUNCTION "ledger_check_transaction_balanced"()`);
    await q.query(`
      CREATE FUNCTION "ledger_check_postings_balanced"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad RECORD;
      BEGIN
        SELECT tx."id", count(p."id") AS postings, coalesce(sum(p."amount"), 0) AS total,
               count(p."id") FILTER (WHERE p."currency" <> tx."currency" OR p."channel_id" <> tx."channel_id"
                                        OR a."currency" <> p."currency" OR a."channel_id" <> p."channel_id") AS foreign_postings
          INTO bad
          FROM (SELECT DISTINCT "transaction_id" FROM new_postings) touched
          JOIN "loyalty_transaction" tx ON tx."id" = touched."transaction_id"
          JOIN "loyalty_transfer" p ON p."transaction_id" = tx."id"
          JOIN "loyalty_account" a ON a."id" = p."account_id"
         GROUP BY tx."id"
        HAVING count(p."id") < 2 OR sum(p."amount") <> 0
            OR count(p."id") FILTER (WHERE p."currency" <> tx."currency" OR p."channel_id" <> tx."channel_id"
                                        OR a."currency" <> p."currency" OR a."channel_id" <> p."channel_id") > 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'ledger: transaction % is unbalanced (% postings, sum %, % in another currency or channel)',
            bad."id", bad.postings, bad.total, bad.foreign_postings USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
    await q.query(
      `CREATE TRIGGER "trg_loyalty_transfer_balanced" AFTER INSERT ON "loyalty_transfer" REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION "ledger_check_postings_balanced"()`,
    );

    // The idempotency record of an operation: NULL to go on, or the stored result of the first request to answer.
    await q.query(`
      CREATE FUNCTION "ledger_claim_key"(p_channel integer, p_key varchar, p_operation varchar, p_fingerprint varchar,
                                         p_now timestamptz) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        first RECORD;
      BEGIN
        IF p_key IS NULL THEN
          RETURN NULL;
        END IF;
        -- A concurrent request under the same key holds the unique index entry: this insert waits for it to end.
        INSERT INTO "loyalty_idempotency_key" ("channel_id", "key", "operation", "fingerprint", "result", "created_date")
        VALUES (p_channel, p_key, p_operation, p_fingerprint, NULL, p_now) ON CONFLICT DO NOTHING;
        IF FOUND THEN
          RETURN NULL;
        END IF;
        SELECT "operation", "fingerprint", "result" INTO first
          FROM "loyalty_idempotency_key" WHERE "channel_id" = p_channel AND "key" = p_key;
        IF first."operation" <> p_operation OR first."fingerprint" <> p_fingerprint OR first."result" IS NULL THEN
          RAISE EXCEPTION 'idempotency_conflict' USING ERRCODE = 'LDG00';
        END IF;
        RETURN first."result";
      END
      $$`);

    await q.query(`
      CREATE FUNCTION "ledger_transfer"(p_channel integer, p_source integer, p_destination integer, p_amount numeric,
                                        p_actor integer, p_key varchar, p_fingerprint varchar, p_uuid uuid,
                                        p_now timestamptz, p_balance_max numeric)
        RETURNS TABLE ("transaction_uuid" uuid, "replayed" boolean) LANGUAGE plpgsql AS $$
      DECLARE
        first jsonb;
        src RECORD;
        dst RECORD;
        src_after numeric;
        dst_after numeric;
        tx_id integer;
      BEGIN
        first := "ledger_claim_key"(p_channel, p_key, 'transfer', p_fingerprint, p_now);
        IF first IS NOT NULL THEN
          RETURN QUERY SELECT (first->>'transaction_uuid')::uuid, true;
          RETURN;
        END IF;
        IF p_amount IS NULL OR p_amount <= 0 OR p_source = p_destination THEN
          RAISE EXCEPTION 'ledger_transfer: amount % from % to %', p_amount, p_source, p_destination
            USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- Accounts with a running balance are locked in ascending id order (no deadlock between two transfers);
        -- system accounts (SALE, BANK, REFUND) are neither locked nor updated: their balance is their postings' sum.
        PERFORM 1 FROM "loyalty_account"
          WHERE "id" IN (p_source, p_destination) AND "channel_id" = p_channel AND "kind" IN ('customer', 'invoice')
          ORDER BY "id" FOR NO KEY UPDATE;
        SELECT "id", "kind", "currency", "user_id", "balance", "debit_allowed" INTO src
          FROM "loyalty_account" WHERE "channel_id" = p_channel AND "id" = p_source;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'account_not_found' USING ERRCODE = 'LDG00', DETAIL = 'source';
        END IF;
        SELECT "id", "kind", "currency", "user_id", "balance", "debit_allowed" INTO dst
          FROM "loyalty_account" WHERE "channel_id" = p_channel AND "id" = p_destination;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'account_not_found' USING ERRCODE = 'LDG00', DETAIL = 'destination';
        END IF;
        IF src."currency" <> dst."currency" THEN
          RAISE EXCEPTION 'currency_mismatch' USING ERRCODE = 'LDG00', DETAIL = 'destination';
        END IF;
        IF src."kind" IN ('customer', 'invoice') THEN
          src_after := src."balance" - p_amount;
          IF src_after < 0 AND NOT src."debit_allowed" THEN
            RAISE EXCEPTION 'insufficient_funds' USING ERRCODE = 'LDG00', DETAIL = 'source';
          END IF;
          IF src_after < -p_balance_max THEN
            RAISE EXCEPTION 'balance_limit' USING ERRCODE = 'LDG00', DETAIL = 'source';
          END IF;
          UPDATE "loyalty_account" SET "balance" = src_after, "modified_date" = p_now WHERE "id" = p_source;
        END IF;
        IF dst."kind" IN ('customer', 'invoice') THEN
          dst_after := dst."balance" + p_amount;
          IF dst_after > p_balance_max THEN
            RAISE EXCEPTION 'balance_limit' USING ERRCODE = 'LDG00', DETAIL = 'destination';
          END IF;
          UPDATE "loyalty_account" SET "balance" = dst_after, "modified_date" = p_now WHERE "id" = p_destination;
        END IF;
        INSERT INTO "loyalty_transaction" ("uuid", "channel_id", "kind", "currency", "amount", "user_id", "actor_id",
                                           "idempotency_key", "created_date")
        VALUES (p_uuid, p_channel, 'transfer', src."currency", p_amount, coalesce(src."user_id", dst."user_id"),
                p_actor, p_key, p_now)
        RETURNING "id" INTO tx_id;
        INSERT INTO "loyalty_transfer" ("transaction_id", "account_id", "channel_id", "currency", "amount",
                                        "balance_after", "created_date")
        VALUES (tx_id, p_source, p_channel, src."currency", -p_amount, src_after, p_now),
               (tx_id, p_destination, p_channel, src."currency", p_amount, dst_after, p_now);
        IF p_key IS NOT NULL THEN
          UPDATE "loyalty_idempotency_key" SET "result" = jsonb_build_object('transaction_uuid', p_uuid)
           WHERE "channel_id" = p_channel AND "key" = p_key;
        END IF;
        RETURN QUERY SELECT p_uuid, false;
      END
      $$`);

    await q.query(`
      CREATE FUNCTION "ledger_pay_order"(p_channel integer, p_order_id integer, p_order_number varchar,
                                         p_user integer, p_currency varchar, p_amount numeric, p_actor integer,
                                         p_key varchar, p_fingerprint varchar, p_uuid uuid, p_now timestamptz)
        RETURNS TABLE ("transaction_uuid" uuid, "replayed" boolean) LANGUAGE plpgsql AS $$
      DECLARE
        first jsonb;
        existing RECORD;
        sale_id integer;
        account RECORD;
        remaining numeric := p_amount;
        take numeric;
        after numeric;
        ids integer[] := '{}';
        amounts numeric[] := '{}';
        afters numeric[] := '{}';
        tx_id integer;
      BEGIN
        first := "ledger_claim_key"(p_channel, p_key, 'order.pay', p_fingerprint, p_now);
        IF first IS NOT NULL THEN
          RETURN QUERY SELECT (first->>'transaction_uuid')::uuid, true;
          RETURN;
        END IF;
        IF p_amount IS NULL OR p_amount <= 0 THEN
          RAISE EXCEPTION 'ledger_pay_order: amount %', p_amount USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- The order lock of LedgerRepository.lockOrder: refunds and payments of one order run one at a time.
        PERFORM pg_advisory_xact_lock(1280268612, hashtext(p_channel || ':' || p_order_number));
        SELECT "uuid", "amount" INTO existing FROM "loyalty_transaction"
         WHERE "channel_id" = p_channel AND "order_number" = p_order_number AND "kind" = 'order_payment';
        IF FOUND THEN
          IF existing."amount" <> p_amount THEN
            RAISE EXCEPTION 'order_payment_conflict' USING ERRCODE = 'LDG00';
          END IF;
          IF p_key IS NOT NULL THEN
            UPDATE "loyalty_idempotency_key" SET "result" = jsonb_build_object('transaction_uuid', existing."uuid")
             WHERE "channel_id" = p_channel AND "key" = p_key;
          END IF;
          RETURN QUERY SELECT existing."uuid", true;
          RETURN;
        END IF;
        IF coalesce((SELECT "value" = 'true'::jsonb FROM "dynamic_setting"
                      WHERE "channel_id" = p_channel AND "key" = 'LOYALTY_MONEY_ENABLED'), false) IS NOT TRUE THEN
          RAISE EXCEPTION 'money_disabled' USING ERRCODE = 'LDG00';
        END IF;
        SELECT "id" INTO sale_id FROM "loyalty_account"
         WHERE "channel_id" = p_channel AND "currency" = p_currency AND "kind" = 'sale';
        IF NOT FOUND THEN
          RAISE EXCEPTION 'system_account_missing' USING ERRCODE = 'LDG00', DETAIL = 'sale';
        END IF;
        -- Locked by id (the order every money operation locks in), spent oldest account first; never overdrawn.
        PERFORM 1 FROM "loyalty_account"
          WHERE "channel_id" = p_channel AND "user_id" = p_user AND "currency" = p_currency
            AND "kind" IN ('customer', 'invoice')
          ORDER BY "id" FOR NO KEY UPDATE;
        FOR account IN
          SELECT "id", "balance" FROM "loyalty_account"
           WHERE "channel_id" = p_channel AND "user_id" = p_user AND "currency" = p_currency
             AND "kind" IN ('customer', 'invoice') AND "balance" > 0
           ORDER BY "created_date", "id"
        LOOP
          EXIT WHEN remaining = 0;
          take := least(remaining, account."balance");
          after := account."balance" - take;
          UPDATE "loyalty_account" SET "balance" = after, "modified_date" = p_now WHERE "id" = account."id";
          ids := ids || account."id";
          amounts := amounts || -take;
          afters := afters || after;
          remaining := remaining - take;
        END LOOP;
        IF remaining > 0 THEN
          RAISE EXCEPTION 'insufficient_funds' USING ERRCODE = 'LDG00', DETAIL = 'source';
        END IF;
        INSERT INTO "loyalty_transaction" ("uuid", "channel_id", "kind", "currency", "amount", "order_id",
                                           "order_number", "user_id", "reference", "actor_id", "idempotency_key",
                                           "created_date")
        VALUES (p_uuid, p_channel, 'order_payment', p_currency, p_amount, p_order_id, p_order_number, p_user,
                p_order_number, p_actor, p_key, p_now)
        RETURNING "id" INTO tx_id;
        INSERT INTO "loyalty_transfer" ("transaction_id", "account_id", "channel_id", "currency", "amount",
                                        "balance_after", "created_date")
        SELECT tx_id, t.account_id, p_channel, p_currency, t.amount, t.balance_after, p_now
          FROM unnest(ids || sale_id, amounts || p_amount, afters || NULL::numeric)
               AS t(account_id, amount, balance_after);
        IF p_key IS NOT NULL THEN
          UPDATE "loyalty_idempotency_key" SET "result" = jsonb_build_object('transaction_uuid', p_uuid)
           WHERE "channel_id" = p_channel AND "key" = p_key;
        END IF;
        RETURN QUERY SELECT p_uuid, false;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "ledger_pay_order"(integer, integer, varchar, integer, varchar, numeric, integer, varchar, varchar, uuid, timestamptz)`,
    );
    await q.query(
      `DROP FUNCTION "ledger_transfer"(integer, integer, integer, numeric, integer, varchar, varchar, uuid, timestamptz, numeric)`,
    );
    await q.query(`DROP FUNCTION "ledger_claim_key"(integer, varchar, varchar, varchar, timestamptz)`);
    await q.query(`DROP TRIGGER "trg_loyalty_transfer_balanced" ON "loyalty_transfer"`);
    await q.query(`DROP FUNCTION "ledger_check_postings_balanced"()`);
    await q.query(`
      CREATE FUNCTION "ledger_check_transaction_balanced"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        tx RECORD;
        acc RECORD;
        posting_count integer;
        posting_sum numeric;
        foreign_postings integer;
      BEGIN
        SELECT "channel_id", "currency" INTO tx FROM "loyalty_transaction" WHERE "id" = NEW."transaction_id";
        SELECT "channel_id", "currency" INTO acc FROM "loyalty_account" WHERE "id" = NEW."account_id";
        IF acc."channel_id" <> NEW."channel_id" OR acc."currency" <> NEW."currency" THEN
          RAISE EXCEPTION 'ledger: posting % does not match the channel or currency of account %', NEW."id", NEW."account_id"
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT count(*), coalesce(sum("amount"), 0),
               count(*) FILTER (WHERE "currency" <> tx."currency" OR "channel_id" <> tx."channel_id")
          INTO posting_count, posting_sum, foreign_postings
          FROM "loyalty_transfer" WHERE "transaction_id" = NEW."transaction_id";
        IF posting_count < 2 OR posting_sum <> 0 OR foreign_postings > 0 THEN
          RAISE EXCEPTION 'ledger: transaction % is unbalanced (% postings, sum %, % in another currency or channel)',
            NEW."transaction_id", posting_count, posting_sum, foreign_postings
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END
      $$`);
    await q.query(
      `CREATE CONSTRAINT TRIGGER "trg_loyalty_transfer_balanced" AFTER INSERT ON "loyalty_transfer" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_transaction_balanced"()`,
    );
  }
}
