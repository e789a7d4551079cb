import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Placed orders: a snapshot of the lines and the split of the total between store credit and card. */
export class Orders1764530000000 implements MigrationInterface {
  name = 'Orders1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "orders" (
        "id" serial PRIMARY KEY,
        "number" varchar(16) NOT NULL,
        "channel_id" integer NOT NULL,
        "user_id" integer NOT NULL CONSTRAINT "orders_user_fkey" REFERENCES "users" ("id") ON DELETE RESTRICT,
        "currency" varchar(3) NOT NULL,
        "items" jsonb NOT NULL,
        "total_amount" numeric(20,2) NOT NULL,
        "loyalty_amount" numeric(20,2) NOT NULL,
        "card_amount" numeric(20,2) NOT NULL,
        "status" varchar(16) NOT NULL,
        "payment_option" varchar(64) NOT NULL,
        "created_date" timestamptz NOT NULL DEFAULT now(),
        "modified_date" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "chk_orders_number" CHECK ("number" ~ '^[0-9]{16}$'),
        CONSTRAINT "chk_orders_currency" CHECK ("currency" ~ '^[a-z]{3}$'),
        CONSTRAINT "chk_orders_status" CHECK ("status" IN ('pending', 'completed', 'cancelled')),
        CONSTRAINT "chk_orders_amounts"
          CHECK ("loyalty_amount" >= 0 AND "card_amount" >= 0 AND "total_amount" = "loyalty_amount" + "card_amount")
      )`);
    await q.query(`CREATE UNIQUE INDEX "orders_number_uq" ON "orders" ("number")`);
    await q.query(`CREATE INDEX "orders_user_idx" ON "orders" ("channel_id", "user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "orders"`);
  }
}
