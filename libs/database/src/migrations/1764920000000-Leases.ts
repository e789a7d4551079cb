import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Named leases: per-user claims of order placement, and leader election of background workers. */
export class Leases1764920000000 implements MigrationInterface {
  name = 'Leases1764920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lease (
        name varchar(200) NOT NULL CONSTRAINT lease_pkey PRIMARY KEY,
        holder varchar(100) NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE lease`);
  }
}
