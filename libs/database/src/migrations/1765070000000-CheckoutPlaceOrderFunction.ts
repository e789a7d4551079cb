import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pending order placed in one round trip (issue 19: a page's cost is its statements; the order's transaction was
 * seven). `checkout_place_order` takes the basket row's lock, checks that the basket's lines are still the ones the
 * app priced (each line's id, product, quantity, the product's active flag and its price in the currency: the app
 * priced them with the one pricing function, `priceBasket`, and the database does not price again), takes the
 * stock of the lines the app sold, line by line in line order, inserts the order the app built and empties the
 * basket. Each statement of a PL/pgSQL function in READ COMMITTED sees what committed before it started, so the
 * reads after the lock see the last writer's lines.
 *
 * Answers the order row; no row when the basket is not what was priced (the customer looks again). Too little
 * stock raises SQLSTATE CHK00 `insufficient_stock` with the product's stock now as the detail;
 * nothing is written either way.
 */
export class CheckoutPlaceOrderFunction1765070000000 implements MigrationInterface {
  name = 'CheckoutPlaceOrderFunction1765070000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION "checkout_place_order"(
        p_basket integer, p_currency varchar, p_lines jsonb, p_sold jsonb, p_order jsonb
      ) RETURNS SETOF "orders" LANGUAGE plpgsql
      SET enable_seqscan = off
      AS $fn$
      DECLARE
        v_line record;
        v_unchanged boolean;
        v_stock integer;
      BEGIN
        PERFORM 1 FROM "basket" WHERE "id" = p_basket FOR UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        SELECT coalesce(jsonb_agg(jsonb_build_object('id', bi."id", 'product_id', bi."product_id",
                 'quantity', bi."quantity", 'active', p."active",
                 'unit_minor', (pp."amount" * 100)::bigint::text) ORDER BY bi."id"), '[]'::jsonb) = p_lines
          INTO v_unchanged
          FROM "basket_item" bi
          JOIN "product" p ON p."id" = bi."product_id"
          LEFT JOIN "product_price" pp ON pp."product_id" = bi."product_id" AND pp."currency" = p_currency
         WHERE bi."basket_id" = p_basket;
        IF NOT v_unchanged THEN
          RETURN;
        END IF;
        FOR v_line IN
          SELECT (e ->> 'product_id')::integer AS product_id, (e ->> 'quantity')::integer AS quantity
            FROM jsonb_array_elements(p_sold) WITH ORDINALITY AS t(e, n) ORDER BY n
        LOOP
          UPDATE "product" SET "stock" = "stock" - v_line.quantity
           WHERE "id" = v_line.product_id AND "stock" >= v_line.quantity;
          IF NOT FOUND THEN
            SELECT "stock" INTO v_stock FROM "product" WHERE "id" = v_line.product_id;
            RAISE EXCEPTION USING ERRCODE = 'CHK00', MESSAGE = 'insufficient_stock', DETAIL = coalesce(v_stock, 0)::text;
          END IF;
        END LOOP;
        DELETE FROM "basket_item" WHERE "basket_id" = p_basket;
        RETURN QUERY
          INSERT INTO "orders" ("number", "channel_id", "user_id", "currency", "items", "shipping_address",
                                "billing_address", "total_amount", "loyalty_amount", "card_amount", "status",
                                "interest_amount", "installment_count", "card_last4", "card_type", "payment_option",
                                "placed_session")
          SELECT r."number", r."channel_id", r."user_id", r."currency", r."items", r."shipping_address",
                 r."billing_address", r."total_amount", r."loyalty_amount", r."card_amount", r."status",
                 r."interest_amount", r."installment_count", r."card_last4", r."card_type", r."payment_option",
                 r."placed_session"
            FROM jsonb_populate_record(NULL::"orders", p_order) r
          RETURNING *;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "checkout_place_order"(integer, varchar, jsonb, jsonb, jsonb)`);
  }
}
