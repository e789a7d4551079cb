import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refunds and cross-refunds in one round trip (docs/ledger.md, "One round trip"): `ledger_refund` does in the one
 * statement that calls it what LedgerService.refund and crossRefund did in a TypeScript transaction of a dozen
 * statements: the idempotency record, the order lock, both refund caps, the earning reversal the refund makes due
 * (docs/ledger.md, "Earning reversal"), the destination account (opened when missing, an invoice account refused
 * when it is someone else's), the locks in ascending id order, the refund with its earning shortfall, and the
 * reversal. Refusals raise LDG00 as the other ledger functions do; `refund_cap_exceeded` carries what is left as its
 * detail.
 */
export class LedgerRefundFunction1765030000000 implements MigrationInterface {
  name = 'LedgerRefundFunction1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "ledger_refund"(p_kind varchar, p_channel integer, p_payment_id integer,
                                      p_payment_amount numeric, p_order_id integer, p_order_number varchar,
                                      p_owner integer, p_currency varchar, p_order_total numeric, p_amount numeric,
                                      p_invoice varchar, p_actor integer, p_key varchar, p_fingerprint varchar,
                                      p_uuid uuid, p_reversal_uuid uuid, p_now timestamptz, p_balance_max numeric,
                                      p_new_customer_number varchar)
        RETURNS TABLE ("transaction_uuid" uuid, "replayed" boolean) LANGUAGE plpgsql AS $$
      DECLARE
        first jsonb;
        refunded numeric;
        available numeric;
        earning RECORD;
        reversed numeric;
        written_off numeric;
        share numeric;
        due numeric := 0;
        customer_id integer;
        bank_id integer;
        system_id integer;
        destination RECORD;
        customer RECORD;
        destination_after numeric;
        customer_after numeric;
        holds numeric;
        take numeric := 0;
        tx_id integer;
        reversal_id integer;
      BEGIN
        IF p_kind NOT IN ('refund', 'cross_refund') OR p_amount IS NULL OR p_amount <= 0
           OR (p_kind = 'refund') <> (p_payment_id IS NOT NULL)
           OR (p_kind = 'cross_refund' AND p_order_total IS NULL) THEN
          RAISE EXCEPTION 'ledger_refund: % of % (payment %, order total %)', p_kind, p_amount, p_payment_id,
            p_order_total USING ERRCODE = 'invalid_parameter_value';
        END IF;
        first := "ledger_claim_key"(p_channel, p_key, p_kind, p_fingerprint, p_now);
        IF first IS NOT NULL THEN
          RETURN QUERY SELECT (first->>'transaction_uuid')::uuid, true;
          RETURN;
        END IF;
        -- The order lock of LedgerRepository.lockOrder: refunds and payments of one order run one at a time.
        PERFORM pg_advisory_xact_lock(1280268612, hashtext(p_channel || ':' || p_order_number));

        -- The caps: what the payment took less its refunds; the order total less all its refunds and cross-refunds.
        SELECT coalesce(sum("amount"), 0) INTO refunded FROM "loyalty_transaction"
         WHERE "channel_id" = p_channel AND "order_number" = p_order_number AND "kind" IN ('refund', 'cross_refund');
        IF p_kind = 'refund' THEN
          SELECT p_payment_amount - coalesce(sum("amount"), 0) INTO available FROM "loyalty_transaction"
           WHERE "refunded_transaction_id" = p_payment_id AND "kind" = 'refund';
          IF p_order_total IS NOT NULL THEN
            available := least(available, p_order_total - refunded);
          END IF;
        ELSE
          available := p_order_total - refunded;
        END IF;
        IF p_amount > available THEN
          RAISE EXCEPTION 'refund_cap_exceeded' USING ERRCODE = 'LDG00', DETAIL = greatest(available, 0)::text;
        END IF;

        -- The earning reversal due: floor(E x refunded after / T) of the earning E, less earlier reversals and
        -- shortfalls (computed in minor units, as EarningReversals.due did).
        IF p_order_total IS NOT NULL THEN
          SELECT "id", "amount" INTO earning FROM "loyalty_transaction"
           WHERE "channel_id" = p_channel AND "order_number" = p_order_number AND "kind" = 'transfer'
             AND "reason" = 'order_earning';
          IF FOUND THEN
            SELECT coalesce(sum("amount") FILTER (WHERE "kind" = 'earning_reversal'), 0),
                   coalesce(sum("earning_shortfall"), 0)
              INTO reversed, written_off
              FROM "loyalty_transaction" WHERE "channel_id" = p_channel AND "order_number" = p_order_number;
            IF p_order_total <= 0 OR refunded + p_amount <= 0 THEN
              share := 0;
            ELSIF refunded + p_amount >= p_order_total THEN
              share := earning."amount";
            ELSE
              share := floor((earning."amount" * 100) * ((refunded + p_amount) * 100) / (p_order_total * 100)) / 100;
            END IF;
            due := share - reversed - written_off;
            IF due > 0 THEN
              SELECT "account_id" INTO customer_id FROM "loyalty_transfer"
               WHERE "transaction_id" = earning."id" AND "amount" > 0;
              SELECT "account_id" INTO bank_id FROM "loyalty_transfer"
               WHERE "transaction_id" = earning."id" AND "amount" < 0;
              IF customer_id IS NULL OR bank_id IS NULL THEN
                RAISE EXCEPTION 'ledger_refund: earning % without its two postings', earning."id"
                  USING ERRCODE = 'data_corrupted';
              END IF;
            ELSE
              due := 0;
            END IF;
          END IF;
        END IF;

        SELECT "id" INTO system_id FROM "loyalty_account"
         WHERE "channel_id" = p_channel AND "currency" = p_currency
           AND "kind" = CASE WHEN p_kind = 'refund' THEN 'sale' ELSE 'refund' END;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'system_account_missing' USING ERRCODE = 'LDG00',
            DETAIL = CASE WHEN p_kind = 'refund' THEN 'sale' ELSE 'refund' END;
        END IF;

        -- The destination: the owner's customer account, or the invoice account of that number; opened when missing.
        IF p_invoice IS NULL THEN
          INSERT INTO "loyalty_account" ("channel_id", "kind", "number", "user_id", "currency", "balance",
                                         "debit_allowed", "created_date", "modified_date")
          SELECT p_channel, 'customer', p_new_customer_number, p_owner, p_currency, 0, false, p_now, p_now
           WHERE NOT EXISTS (SELECT 1 FROM "loyalty_account" WHERE "channel_id" = p_channel AND "user_id" = p_owner
                               AND "currency" = p_currency AND "kind" = 'customer')
          ON CONFLICT DO NOTHING;
          SELECT "id", "kind", "user_id" INTO destination FROM "loyalty_account"
           WHERE "channel_id" = p_channel AND "user_id" = p_owner AND "currency" = p_currency AND "kind" = 'customer';
        ELSE
          INSERT INTO "loyalty_account" ("channel_id", "kind", "number", "user_id", "currency", "balance",
                                         "debit_allowed", "created_date", "modified_date")
          SELECT p_channel, 'invoice', p_invoice, p_owner, p_currency, 0, false, p_now, p_now
           WHERE NOT EXISTS (SELECT 1 FROM "loyalty_account" WHERE "channel_id" = p_channel AND "currency" = p_currency
                               AND "number" = p_invoice)
          ON CONFLICT DO NOTHING;
          SELECT "id", "kind", "user_id" INTO destination FROM "loyalty_account"
           WHERE "channel_id" = p_channel AND "currency" = p_currency AND "number" = p_invoice;
          IF FOUND AND (destination."kind" <> 'invoice' OR destination."user_id" <> p_owner) THEN
            RAISE EXCEPTION 'invoice_other_user' USING ERRCODE = 'LDG00', DETAIL = 'destination';
          END IF;
        END IF;
        IF destination."id" IS NULL THEN
          RAISE EXCEPTION 'ledger_refund: destination missing after insert' USING ERRCODE = 'data_corrupted';
        END IF;

        -- The destination and the account the reversal takes from, locked together in ascending id order.
        PERFORM 1 FROM "loyalty_account" WHERE "id" IN (destination."id", customer_id) ORDER BY "id" FOR NO KEY UPDATE;
        SELECT "id", "balance" INTO destination FROM "loyalty_account" WHERE "id" = destination."id";
        destination_after := destination."balance" + p_amount;
        IF destination_after > p_balance_max THEN
          RAISE EXCEPTION 'balance_limit' USING ERRCODE = 'LDG00', DETAIL = 'destination';
        END IF;
        IF due > 0 THEN
          -- What the account holds once the refund is in (a refund into it covers the reversal), never below zero.
          SELECT "id", "balance" INTO customer FROM "loyalty_account" WHERE "id" = customer_id;
          holds := CASE WHEN customer_id = destination."id" THEN destination_after ELSE customer."balance" END;
          take := least(due, greatest(holds, 0));
        END IF;

        UPDATE "loyalty_account" SET "balance" = destination_after, "modified_date" = p_now
         WHERE "id" = destination."id";
        INSERT INTO "loyalty_transaction" ("uuid", "channel_id", "kind", "currency", "amount", "order_id",
                                           "order_number", "user_id", "reference", "actor_id", "idempotency_key",
                                           "refunded_transaction_id", "earning_shortfall", "created_date")
        VALUES (p_uuid, p_channel, p_kind, p_currency, p_amount, p_order_id, p_order_number, p_owner, p_order_number,
                p_actor, p_key, p_payment_id, due - take, p_now)
        RETURNING "id" INTO tx_id;
        INSERT INTO "loyalty_transfer" ("transaction_id", "account_id", "channel_id", "currency", "amount",
                                        "balance_after", "created_date")
        VALUES (tx_id, system_id, p_channel, p_currency, -p_amount, NULL, p_now),
               (tx_id, destination."id", p_channel, p_currency, p_amount, destination_after, p_now);

        IF take > 0 THEN
          customer_after := holds - take;
          UPDATE "loyalty_account" SET "balance" = customer_after, "modified_date" = p_now WHERE "id" = customer_id;
          INSERT INTO "loyalty_transaction" ("uuid", "channel_id", "kind", "currency", "amount", "order_id",
                                             "order_number", "user_id", "reference", "actor_id",
                                             "refunded_transaction_id", "created_date")
          VALUES (p_reversal_uuid, p_channel, 'earning_reversal', p_currency, take, p_order_id, p_order_number,
                  p_owner, p_order_number, p_actor, earning."id", p_now)
          RETURNING "id" INTO reversal_id;
          INSERT INTO "loyalty_transfer" ("transaction_id", "account_id", "channel_id", "currency", "amount",
                                          "balance_after", "created_date")
          VALUES (reversal_id, customer_id, p_channel, p_currency, -take, customer_after, p_now),
                 (reversal_id, bank_id, p_channel, p_currency, take, NULL, p_now);
        END IF;

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
      `DROP FUNCTION "ledger_refund"(varchar, integer, integer, numeric, integer, varchar, integer, varchar, numeric, numeric, varchar, integer, varchar, varchar, uuid, uuid, timestamptz, numeric, varchar)`,
    );
  }
}
