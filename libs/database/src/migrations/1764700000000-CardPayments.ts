import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Card payment: the order's installment, interest and card (last 4 digits, type), and one card charge per order. */
export class CardPayments1764700000000 implements MigrationInterface {
  name = 'CardPayments1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "orders"
        ADD COLUMN "interest_amount" numeric(20,2) NOT NULL DEFAULT 0,
        ADD COLUMN "installment_count" smallint NOT NULL DEFAULT 1,
        ADD COLUMN "card_last4" varchar(4),
        ADD COLUMN "card_type" varchar(16),
        ADD CONSTRAINT "chk_orders_interest"
          CHECK ("interest_amount" >= 0 AND ("card_amount" > 0 OR "interest_amount" = 0))`);
    await q.query(`
      CREATE TABLE "card_charge" (
        "id" serial CONSTRAINT "card_charge_pkey" PRIMARY KEY,
        "order_id" integer NOT NULL CONSTRAINT "card_charge_order_fkey" REFERENCES "orders" ("id") ON DELETE RESTRICT,
        "gateway" varchar(32) NOT NULL,
        "reference" varchar(64) NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        "interest_amount" numeric(20,2) NOT NULL,
        "currency" varchar(3) NOT NULL,
        "installment_count" smallint NOT NULL,
        "status" varchar(16) NOT NULL,
        "decline_reason" varchar(32),
        "card_last4" varchar(4),
        "card_type" varchar(16),
        "created_date" timestamptz NOT NULL DEFAULT now(),
        "modified_date" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "chk_card_charge_status" CHECK ("status" IN ('approved', 'declined', 'voided')),
        CONSTRAINT "chk_card_charge_amount"
          CHECK ("amount" > 0 AND "interest_amount" >= 0 AND "interest_amount" <= "amount"),
        CONSTRAINT "chk_card_charge_last4" CHECK ("card_last4" IS NULL OR "card_last4" ~ '^[0-9]{4}$'),
        CONSTRAINT "chk_card_charge_installments" CHECK ("installment_count" IN (1, 3, 6))
      )`);
    await q.query(`CREATE UNIQUE INDEX "card_charge_order_uq" ON "card_charge" ("order_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "card_charge"`);
    await q.query(`
      ALTER TABLE "orders"
        DROP CONSTRAINT "chk_orders_interest",
        DROP COLUMN "card_type",
        DROP COLUMN "card_last4",
        DROP COLUMN "installment_count",
        DROP COLUMN "interest_amount"`);
  }
}
