import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A staff balance change in one round trip (docs/ledger.md, "One round trip"): `ledger_adjust` does what
 * LoyaltyAccountService.update did in a TypeScript transaction: the idempotency record, the account's row lock, the
 * floor rule (no negative balance without debit_allowed), the new `debit_allowed` and balance in one UPDATE (the
 * CHECK sees the final row), and the `adjustment` transaction with BANK for the difference. Refusals raise LDG00;
 * `negative_balance_not_allowed` names the field that made it so (`balance` or `debit_allowed`) as its detail.
 */
export class LedgerAdjustFunction1765040000000 implements MigrationInterface {
  name = 'LedgerAdjustFunction1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "ledger_adjust"(p_channel integer, p_account integer, p_target numeric, p_debit boolean,
                                      p_reason varchar, p_actor integer, p_key varchar, p_fingerprint varchar,
                                      p_uuid uuid, p_now timestamptz, p_balance_max numeric)
        RETURNS TABLE ("transaction_uuid" uuid, "replayed" boolean) LANGUAGE plpgsql AS $$
      DECLARE
        first jsonb;
        account RECORD;
        final_debit boolean;
        final_balance numeric;
        delta numeric;
        bank_id integer;
        tx_id integer;
      BEGIN
        first := "ledger_claim_key"(p_channel, p_key, 'account.update', p_fingerprint, p_now);
        IF first IS NOT NULL THEN
          RETURN QUERY SELECT (first->>'transaction_uuid')::uuid, true;
          RETURN;
        END IF;
        SELECT "id", "kind", "currency", "user_id", "balance", "debit_allowed" INTO account FROM "loyalty_account"
         WHERE "channel_id" = p_channel AND "id" = p_account FOR NO KEY UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'account_not_found' USING ERRCODE = 'LDG00', DETAIL = 'destination';
        END IF;
        IF account."kind" NOT IN ('customer', 'invoice') THEN
          RAISE EXCEPTION 'ledger_adjust: system account %', p_account USING ERRCODE = 'invalid_parameter_value';
        END IF;
        final_debit := coalesce(p_debit, account."debit_allowed");
        final_balance := coalesce(p_target, account."balance");
        IF final_balance < 0 AND NOT final_debit THEN
          RAISE EXCEPTION 'negative_balance_not_allowed' USING ERRCODE = 'LDG00',
            DETAIL = CASE WHEN p_target IS NOT NULL AND p_target < 0 THEN 'balance' ELSE 'debit_allowed' END;
        END IF;
        IF final_balance > p_balance_max OR final_balance < -p_balance_max THEN
          RAISE EXCEPTION 'balance_limit' USING ERRCODE = 'LDG00', DETAIL = 'destination';
        END IF;
        delta := final_balance - account."balance";
        IF delta <> 0 THEN
          SELECT "id" INTO bank_id FROM "loyalty_account"
           WHERE "channel_id" = p_channel AND "currency" = account."currency" AND "kind" = 'bank';
          IF NOT FOUND THEN
            RAISE EXCEPTION 'system_account_missing' USING ERRCODE = 'LDG00', DETAIL = 'bank';
          END IF;
        END IF;
        IF delta <> 0 OR final_debit <> account."debit_allowed" THEN
          UPDATE "loyalty_account" SET "balance" = final_balance, "debit_allowed" = final_debit, "modified_date" = p_now
           WHERE "id" = p_account;
        END IF;
        IF delta <> 0 THEN
          INSERT INTO "loyalty_transaction" ("uuid", "channel_id", "kind", "currency", "amount", "user_id", "actor_id",
                                             "reason", "idempotency_key", "created_date")
          VALUES (p_uuid, p_channel, 'adjustment', account."currency", abs(delta), account."user_id", p_actor, p_reason,
                  p_key, p_now)
          RETURNING "id" INTO tx_id;
          INSERT INTO "loyalty_transfer" ("transaction_id", "account_id", "channel_id", "currency", "amount",
                                          "balance_after", "created_date")
          VALUES (tx_id, bank_id, p_channel, account."currency", -delta, NULL, p_now),
                 (tx_id, p_account, p_channel, account."currency", delta, final_balance, p_now);
        END IF;
        IF p_key IS NOT NULL THEN
          UPDATE "loyalty_idempotency_key"
             SET "result" = jsonb_build_object('account_id', p_account,
                                               'transaction_uuid', CASE WHEN delta <> 0 THEN p_uuid END)
           WHERE "channel_id" = p_channel AND "key" = p_key;
        END IF;
        RETURN QUERY SELECT CASE WHEN delta <> 0 THEN p_uuid END, false;
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "ledger_adjust"(integer, integer, numeric, boolean, varchar, integer, varchar, varchar, uuid, timestamptz, numeric)`,
    );
  }
}
