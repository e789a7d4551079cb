import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The order keeps its shipping and billing addresses as they were when it was placed (null for older orders). */
export class OrderAddresses1764980000000 implements MigrationInterface {
  name = 'OrderAddresses1764980000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" ADD "shipping_address" jsonb, ADD "billing_address" jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "orders" DROP COLUMN "shipping_address", DROP COLUMN "billing_address"`);
  }
}
