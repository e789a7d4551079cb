import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The store-credit ledger: accounts, transactions, postings (loyalty_transfer), idempotency keys and per-channel
 * dynamic settings. Besides what the entities describe (tables, CHECKs, indexes, foreign keys), it installs two
 * guards the entities cannot express, so that no code path, not even a hand-written SQL session, can break them:
 *   - postings and transactions are append-only (UPDATE and DELETE raise);
 *   - at commit, the postings of every transaction that got new postings number two or more, sum to zero, share
 *     the transaction's currency and channel, and each matches its account's currency and channel.
 * channel_id, user_id and order_id have no foreign keys yet: their tables belong to libs still being written.
 */
export class Ledger1764100000000 implements MigrationInterface {
  name = 'Ledger1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "dynamic_setting" ("channel_id" integer NOT NULL, "key" character varying(64) NOT NULL, "value" jsonb NOT NULL, "modified_date" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_dynamic_setting" PRIMARY KEY ("channel_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "loyalty_account" ("id" SERIAL NOT NULL, "channel_id" integer NOT NULL, "kind" character varying(16) NOT NULL, "number" character varying(64) NOT NULL, "user_id" integer, "currency" character varying(3) NOT NULL, "balance" numeric(20,2) NOT NULL, "debit_allowed" boolean NOT NULL, "created_date" TIMESTAMP WITH TIME ZONE NOT NULL, "modified_date" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_loyalty_account_number" CHECK (length("number") > 0), CONSTRAINT "chk_loyalty_account_currency" CHECK ("currency" ~ '^[a-z]{3}$'), CONSTRAINT "chk_loyalty_account_system" CHECK ("kind" IN ('customer', 'invoice') OR ("balance" = 0 AND "debit_allowed")), CONSTRAINT "chk_loyalty_account_owner" CHECK (("kind" IN ('customer', 'invoice')) = ("user_id" IS NOT NULL)), CONSTRAINT "chk_loyalty_account_balance_floor" CHECK ("debit_allowed" OR "balance" >= 0), CONSTRAINT "chk_loyalty_account_kind" CHECK ("kind" IN ('customer', 'invoice', 'sale', 'bank', 'refund')), CONSTRAINT "pk_loyalty_account" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_loyalty_account_user" ON "loyalty_account" ("channel_id", "user_id", "currency")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_loyalty_account_system" ON "loyalty_account" ("channel_id", "currency", "kind") WHERE "kind" IN ('sale', 'bank', 'refund')`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_loyalty_account_customer" ON "loyalty_account" ("channel_id", "user_id", "currency") WHERE "kind" = 'customer'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_loyalty_account_number" ON "loyalty_account" ("channel_id", "currency", "number")`,
    );
    await queryRunner.query(
      `CREATE TABLE "loyalty_transaction" ("id" SERIAL NOT NULL, "uuid" uuid NOT NULL, "channel_id" integer NOT NULL, "kind" character varying(16) NOT NULL, "currency" character varying(3) NOT NULL, "amount" numeric(20,2) NOT NULL, "order_id" integer, "order_number" character varying(64), "user_id" integer, "reference" character varying(64), "actor_id" integer, "reason" character varying(255), "idempotency_key" character varying(255), "refunded_transaction_id" integer, "created_date" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_loyalty_transaction_refund_of" CHECK (("kind" = 'refund') = ("refunded_transaction_id" IS NOT NULL)), CONSTRAINT "chk_loyalty_transaction_order" CHECK ("kind" NOT IN ('order_payment', 'refund', 'cross_refund') OR "order_number" IS NOT NULL), CONSTRAINT "chk_loyalty_transaction_amount" CHECK ("amount" > 0), CONSTRAINT "chk_loyalty_transaction_kind" CHECK ("kind" IN ('opening', 'adjustment', 'transfer', 'order_payment', 'refund', 'cross_refund')), CONSTRAINT "pk_loyalty_transaction" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_loyalty_transaction_channel_created" ON "loyalty_transaction" ("channel_id", "created_date")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_loyalty_transaction_refunded" ON "loyalty_transaction" ("refunded_transaction_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_loyalty_transaction_order" ON "loyalty_transaction" ("channel_id", "order_number", "kind")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_loyalty_transaction_order_payment" ON "loyalty_transaction" ("channel_id", "order_number") WHERE "kind" = 'order_payment'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_loyalty_transaction_uuid" ON "loyalty_transaction" ("uuid")`);
    await queryRunner.query(
      `CREATE TABLE "loyalty_idempotency_key" ("id" SERIAL NOT NULL, "channel_id" integer NOT NULL, "key" character varying(255) NOT NULL, "operation" character varying(32) NOT NULL, "fingerprint" character varying(64) NOT NULL, "result" jsonb, "created_date" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "pk_loyalty_idempotency_key" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_loyalty_idempotency_key" ON "loyalty_idempotency_key" ("channel_id", "key")`,
    );
    await queryRunner.query(
      `CREATE TABLE "loyalty_transfer" ("id" SERIAL NOT NULL, "transaction_id" integer NOT NULL, "account_id" integer NOT NULL, "channel_id" integer NOT NULL, "currency" character varying(3) NOT NULL, "amount" numeric(20,2) NOT NULL, "balance_after" numeric(20,2), "created_date" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "chk_loyalty_transfer_amount" CHECK ("amount" <> 0), CONSTRAINT "pk_loyalty_transfer" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_loyalty_transfer_channel_created" ON "loyalty_transfer" ("channel_id", "created_date")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_loyalty_transfer_transaction" ON "loyalty_transfer" ("transaction_id")`);
    await queryRunner.query(`CREATE INDEX "ix_loyalty_transfer_account" ON "loyalty_transfer" ("account_id", "id")`);
    await queryRunner.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "fk_loyalty_transaction_refunded" FOREIGN KEY ("refunded_transaction_id") REFERENCES "loyalty_transaction"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "loyalty_transfer" ADD CONSTRAINT "fk_loyalty_transfer_transaction" FOREIGN KEY ("transaction_id") REFERENCES "loyalty_transaction"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "loyalty_transfer" ADD CONSTRAINT "fk_loyalty_transfer_account" FOREIGN KEY ("account_id") REFERENCES "loyalty_account"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // Append-only: a correction is a new transaction, never an edit.
    await queryRunner.query(`
      CREATE FUNCTION "ledger_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger: % is append-only (% refused)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER "trg_loyalty_transfer_append_only" BEFORE UPDATE OR DELETE ON "loyalty_transfer" FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "trg_loyalty_transaction_append_only" BEFORE UPDATE OR DELETE ON "loyalty_transaction" FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"()`,
    );

    // Double entry, checked at commit (deferred): by then every posting of the transaction is in.
    await queryRunner.query(`
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
    await queryRunner.query(
      `CREATE CONSTRAINT TRIGGER "trg_loyalty_transfer_balanced" AFTER INSERT ON "loyalty_transfer" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_check_transaction_balanced"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "trg_loyalty_transfer_balanced" ON "loyalty_transfer"`);
    await queryRunner.query(`DROP TRIGGER "trg_loyalty_transaction_append_only" ON "loyalty_transaction"`);
    await queryRunner.query(`DROP TRIGGER "trg_loyalty_transfer_append_only" ON "loyalty_transfer"`);
    await queryRunner.query(`DROP FUNCTION "ledger_check_transaction_balanced"()`);
    await queryRunner.query(`DROP FUNCTION "ledger_refuse_change"()`);
    await queryRunner.query(`DROP TABLE "loyalty_transfer"`);
    await queryRunner.query(`DROP TABLE "loyalty_idempotency_key"`);
    await queryRunner.query(`DROP TABLE "loyalty_transaction"`);
    await queryRunner.query(`DROP TABLE "loyalty_account"`);
    await queryRunner.query(`DROP TABLE "dynamic_setting"`);
  }
}
