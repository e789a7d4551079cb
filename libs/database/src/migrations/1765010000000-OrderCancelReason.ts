import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why an order was cancelled (docs/checkout.md, "Failed attempts"): `cancel_reason` (`card_declined`,
 * `store_credit_refused`, `placement_unfinished`, `staff_cancelled`) and `cancel_detail` (the gateway's decline
 * reason, the ledger's refusal code, what recovery found). The first three are failed placement attempts, left out of
 * the customer's order history; staff see them all. Orders cancelled before this migration get the reason their
 * rows show: a staff settlement, a declined or voided card charge (voided only after a refused store-credit payment),
 * and otherwise an unfinished placement, with a detail saying it was inferred.
 */
export class OrderCancelReason1765010000000 implements MigrationInterface {
  name = 'OrderCancelReason1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" ADD "cancel_reason" character varying(32)`);
    await q.query(`ALTER TABLE "orders" ADD "cancel_detail" character varying(200)`);
    await q.query(`
      UPDATE "orders" o
         SET "cancel_reason" = CASE
               WHEN o."settled_action" = 'cancel' THEN 'staff_cancelled'
               WHEN c."status" = 'declined' THEN 'card_declined'
               WHEN c."status" = 'voided' THEN 'store_credit_refused'
               ELSE 'placement_unfinished' END,
             "cancel_detail" = CASE
               WHEN o."settled_action" = 'cancel' THEN NULL
               WHEN c."status" = 'declined' THEN c."decline_reason"
               ELSE 'inferred when cancel reasons were introduced' END
        FROM "orders" x LEFT JOIN "card_charge" c ON c."order_id" = x."id"
       WHERE o."id" = x."id" AND o."status" = 'cancelled'`);
    await q.query(`
      ALTER TABLE "orders" ADD CONSTRAINT "chk_orders_cancel_reason" CHECK ("cancel_reason" IS NULL OR ("status" = 'cancelled' AND "cancel_reason" IN ('card_declined', 'store_credit_refused', 'placement_unfinished', 'staff_cancelled')))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_cancel_reason"`);
    await q.query(`ALTER TABLE "orders" DROP COLUMN "cancel_detail"`);
    await q.query(`ALTER TABLE "orders" DROP COLUMN "cancel_reason"`);
  }
}
