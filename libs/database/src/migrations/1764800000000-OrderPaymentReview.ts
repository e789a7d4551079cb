import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `payment_review`: an order whose card payment has an unknown outcome (the gateway failed, or a void failed), kept
 * with its stock for staff to settle instead of being cancelled and paid for again.
 */
export class OrderPaymentReview1764800000000 implements MigrationInterface {
  name = 'OrderPaymentReview1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_status"`);
    await q.query(`
      ALTER TABLE "orders" ADD CONSTRAINT "chk_orders_status"
        CHECK ("status" IN ('pending', 'completed', 'cancelled', 'payment_review'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" DROP CONSTRAINT "chk_orders_status"`);
    await q.query(`
      ALTER TABLE "orders" ADD CONSTRAINT "chk_orders_status" CHECK ("status" IN ('pending', 'completed', 'cancelled'))`);
  }
}
