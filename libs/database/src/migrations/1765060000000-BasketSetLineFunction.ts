import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A basket line added or set in one round trip (issue 19: a page's cost is its statements). `basket_set_line`
 * takes the basket row's lock, so concurrent requests on one basket queue and none pushes it past its limits,
 * then checks the product (of the channel, active, priced in the currency), the quantity against the line limit
 * and the stock, and writes the line and the basket's `modified_date`. Each statement of a PL/pgSQL function in
 * READ COMMITTED sees what committed before it started, so the reads after the lock see the last writer's lines.
 *
 * A refusal raises SQLSTATE BSK00 with the refusal's code as the message and, for `insufficient_stock`, the
 * stock as the detail; nothing is written. `BasketLines.setLine` maps them to the checkout's errors.
 */
export class BasketSetLineFunction1765060000000 implements MigrationInterface {
  name = 'BasketSetLineFunction1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "basket_set_line"(
        p_basket integer, p_channel integer, p_product integer, p_currency varchar, p_quantity integer,
        p_add boolean, p_attributes jsonb, p_quantity_max integer, p_lines_max integer
      ) RETURNS void LANGUAGE plpgsql
      SET enable_seqscan = off
      AS $fn$
      DECLARE
        v_active boolean;
        v_stock integer;
        v_priced boolean;
        v_line_id integer;
        v_line_quantity integer;
        v_quantity bigint;
      BEGIN
        PERFORM 1 FROM "basket" WHERE "id" = p_basket FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'basket_missing';
        END IF;
        SELECT p."active", p."stock",
               EXISTS (SELECT 1 FROM "product_price" pp WHERE pp."product_id" = p."id" AND pp."currency" = p_currency)
          INTO v_active, v_stock, v_priced
          FROM "product" p WHERE p."id" = p_product AND p."channel_id" = p_channel;
        IF NOT FOUND OR NOT v_active THEN
          RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'product_unavailable';
        END IF;
        IF NOT v_priced THEN
          RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'price_missing';
        END IF;
        SELECT "id", "quantity" INTO v_line_id, v_line_quantity
          FROM "basket_item" WHERE "basket_id" = p_basket AND "product_id" = p_product;
        v_quantity := CASE WHEN p_add THEN coalesce(v_line_quantity, 0)::bigint + p_quantity ELSE p_quantity END;
        IF v_quantity > p_quantity_max THEN
          RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'quantity_too_large';
        END IF;
        IF v_quantity > v_stock THEN
          RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'insufficient_stock', DETAIL = v_stock::text;
        END IF;
        IF v_line_id IS NOT NULL THEN
          UPDATE "basket_item" SET "quantity" = v_quantity, "attributes" = coalesce(p_attributes, "attributes")
           WHERE "id" = v_line_id;
        ELSE
          IF (SELECT count(*) FROM "basket_item" WHERE "basket_id" = p_basket) >= p_lines_max THEN
            RAISE EXCEPTION USING ERRCODE = 'BSK00', MESSAGE = 'lines_exceeded';
          END IF;
          INSERT INTO "basket_item" ("basket_id", "product_id", "quantity", "attributes")
          VALUES (p_basket, p_product, v_quantity, coalesce(p_attributes, '{}'::jsonb));
        END IF;
        UPDATE "basket" SET "modified_date" = now() WHERE "id" = p_basket;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP FUNCTION "basket_set_line"(integer, integer, integer, varchar, integer, boolean, jsonb, integer, integer)`,
    );
  }
}
