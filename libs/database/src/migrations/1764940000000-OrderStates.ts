import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Order placement as explicit committed states (docs/checkout.md): `charging` (the card charge was requested) and
 * `charged` (approved, store credit not yet paid) between `pending` and `completed`; why an order is in
 * `payment_review`; the session that placed it (a hash); and how staff settled one (action, reason, who, when). The index serves the recovery worker's
 * search for orders stuck in an intermediate state.
 */
export class OrderStates1764940000000 implements MigrationInterface {
  name = 'OrderStates1764940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_status"`);
    await q.query(`
      ALTER TABLE "orders" ADD CONSTRAINT "chk_orders_status"
        CHECK ("status" IN ('pending', 'charging', 'charged', 'completed', 'cancelled', 'payment_review'))`);
    await q.query(`ALTER TABLE "orders" ADD "review_reason" character varying(200)`);
    await q.query(`ALTER TABLE "orders" ADD "placed_session" character(64)`);
    await q.query(`ALTER TABLE "orders" ADD "settled_action" character varying(16)`);
    await q.query(`ALTER TABLE "orders" ADD "settled_reason" character varying(500)`);
    await q.query(`ALTER TABLE "orders" ADD "settled_by" integer`);
    await q.query(`ALTER TABLE "orders" ADD "settled_at" TIMESTAMP WITH TIME ZONE`);
    await q.query(`CREATE INDEX "orders_status_modified_idx" ON "orders" ("status", "modified_date")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "orders_status_modified_idx"`);
    for (const column of [
      'settled_at',
      'settled_by',
      'settled_reason',
      'settled_action',
      'placed_session',
      'review_reason',
    ]) {
      await q.query(`ALTER TABLE "orders" DROP COLUMN "${column}"`);
    }
    await q.query(`ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_status"`);
    await q.query(`
      ALTER TABLE "orders" ADD CONSTRAINT "chk_orders_status"
        CHECK ("status" IN ('pending', 'completed', 'cancelled', 'payment_review'))`);
  }
}
