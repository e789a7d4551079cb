import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Secrets shared by every instance (the order-token key when ORDER_TOKEN_SECRET is not set). */
export class AppSecret1764600000000 implements MigrationInterface {
  name = 'AppSecret1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_secret (
        name varchar(64) NOT NULL CONSTRAINT app_secret_pkey PRIMARY KEY,
        value varchar(128) NOT NULL,
        created_date timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE app_secret`);
  }
}
