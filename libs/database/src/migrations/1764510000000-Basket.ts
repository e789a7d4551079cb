import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Baskets (named by the session, and by the user once signed in) and their lines, one per product. */
export class Basket1764510000000 implements MigrationInterface {
  name = 'Basket1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "basket" (
        "id" serial PRIMARY KEY,
        "channel_id" integer NOT NULL,
        "user_id" integer CONSTRAINT "basket_user_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
        "created_date" timestamptz NOT NULL DEFAULT now(),
        "modified_date" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "basket_user_idx" ON "basket" ("channel_id", "user_id")`);
    await q.query(`
      CREATE TABLE "basket_item" (
        "id" serial PRIMARY KEY,
        "basket_id" integer NOT NULL
          CONSTRAINT "basket_item_basket_fkey" REFERENCES "basket" ("id") ON DELETE CASCADE,
        "product_id" integer NOT NULL
          CONSTRAINT "basket_item_product_fkey" REFERENCES "product" ("id") ON DELETE CASCADE,
        "quantity" integer NOT NULL,
        "attributes" jsonb NOT NULL,
        "created_date" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "chk_basket_item_quantity" CHECK ("quantity" BETWEEN 1 AND 100)
      )`);
    await q.query(`CREATE UNIQUE INDEX "basket_item_product_uq" ON "basket_item" ("basket_id", "product_id")`);
    await q.query(`CREATE INDEX "basket_item_product_idx" ON "basket_item" ("product_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "basket_item"`);
    await q.query(`DROP TABLE "basket"`);
  }
}
