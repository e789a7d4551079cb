import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store credit earned by an order is taken back when the order is refunded (docs/ledger.md, "Earning reversal"):
 * a new transaction kind `earning_reversal` (customer -> BANK, tied by `refunded_transaction_id` to the earning it
 * takes back from, with the order number), and `earning_shortfall` on the transaction that made a reversal due (a
 * refund, a cross-refund, or an earning credited after refunds): the part of the earning due back that the customer
 * account did not hold. 0 everywhere else.
 */
export class EarningReversal1765000000000 implements MigrationInterface {
  name = 'EarningReversal1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_kind"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_kind" CHECK ("kind" IN ('opening', 'adjustment', 'transfer', 'order_payment', 'refund', 'cross_refund', 'earning_reversal'))`,
    );
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_order"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_order" CHECK ("kind" NOT IN ('order_payment', 'refund', 'cross_refund', 'earning_reversal') OR "order_number" IS NOT NULL)`,
    );
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_refund_of"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_refund_of" CHECK (("kind" IN ('refund', 'earning_reversal')) = ("refunded_transaction_id" IS NOT NULL))`,
    );
    await q.query(`ALTER TABLE "loyalty_transaction" ADD "earning_shortfall" numeric(20,2) NOT NULL DEFAULT '0'`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_earning_shortfall" CHECK ("earning_shortfall" >= 0 AND ("earning_shortfall" = 0 OR "kind" IN ('refund', 'cross_refund', 'transfer')))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Append-only rows cannot be deleted: a database that recorded reversals cannot go back (the CHECKs refuse).
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_earning_shortfall"`);
    await q.query(`ALTER TABLE "loyalty_transaction" DROP COLUMN "earning_shortfall"`);
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_refund_of"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_refund_of" CHECK (("kind" = 'refund') = ("refunded_transaction_id" IS NOT NULL))`,
    );
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_order"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_order" CHECK ("kind" NOT IN ('order_payment', 'refund', 'cross_refund') OR "order_number" IS NOT NULL)`,
    );
    await q.query(`ALTER TABLE "loyalty_transaction" DROP CONSTRAINT "chk_loyalty_transaction_kind"`);
    await q.query(
      `ALTER TABLE "loyalty_transaction" ADD CONSTRAINT "chk_loyalty_transaction_kind" CHECK ("kind" IN ('opening', 'adjustment', 'transfer', 'order_payment', 'refund', 'cross_refund'))`,
    );
  }
}
