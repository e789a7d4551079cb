import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The checkout's catalogue: products of a channel with one price per currency, and a few demo products. */
export class Catalogue1764500000000 implements MigrationInterface {
  name = 'Catalogue1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "product" (
        "id" serial PRIMARY KEY,
        "channel_id" integer NOT NULL,
        "sku" varchar(64) NOT NULL,
        "name" varchar(255) NOT NULL,
        "stock" integer NOT NULL,
        "active" boolean NOT NULL,
        "created_date" timestamptz NOT NULL DEFAULT now(),
        "modified_date" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "chk_product_stock" CHECK ("stock" >= 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX "product_channel_sku_uq" ON "product" ("channel_id", "sku")`);
    await q.query(`
      CREATE TABLE "product_price" (
        "product_id" integer NOT NULL
          CONSTRAINT "product_price_product_fkey" REFERENCES "product" ("id") ON DELETE CASCADE,
        "currency" varchar(3) NOT NULL,
        "amount" numeric(20,2) NOT NULL,
        CONSTRAINT "chk_product_price_currency" CHECK ("currency" ~ '^[a-z]{3}$'),
        CONSTRAINT "chk_product_price_amount" CHECK ("amount" >= 0),
        PRIMARY KEY ("product_id", "currency")
      )`);
    // Demo products of the demo channel (id 1, created by the Identity migration); run again, it adds nothing.
    await q.query(`
      INSERT INTO "product" ("channel_id", "sku", "name", "stock", "active")
      SELECT 1, v.sku, v.name, v.stock, true
      FROM (VALUES ('DEMO-TSHIRT', 'Demo T-shirt', 100), ('DEMO-MUG', 'Demo mug', 50), ('DEMO-CAP', 'Demo cap', 20))
        AS v (sku, name, stock)
      WHERE EXISTS (SELECT 1 FROM "channels" WHERE "id" = 1)
      ON CONFLICT ("channel_id", "sku") DO NOTHING`);
    await q.query(`
      INSERT INTO "product_price" ("product_id", "currency", "amount")
      SELECT p."id", v.currency, v.amount::numeric(20,2)
      FROM (VALUES
        ('DEMO-TSHIRT', 'try', '250.00'), ('DEMO-TSHIRT', 'usd', '12.50'), ('DEMO-TSHIRT', 'eur', '11.00'),
        ('DEMO-MUG', 'try', '120.00'), ('DEMO-MUG', 'usd', '6.00'),
        ('DEMO-CAP', 'try', '80.00')
      ) AS v (sku, currency, amount)
      JOIN "product" p ON p."channel_id" = 1 AND p."sku" = v.sku
      ON CONFLICT ("product_id", "currency") DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "product_price"`);
    await q.query(`DROP TABLE "product"`);
  }
}
