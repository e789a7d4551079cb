import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Users' saved addresses. */
export class Address1764520000000 implements MigrationInterface {
  name = 'Address1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "address" (
        "id" serial PRIMARY KEY,
        "channel_id" integer NOT NULL,
        "user_id" integer NOT NULL CONSTRAINT "address_user_fkey" REFERENCES "users" ("id") ON DELETE CASCADE,
        "title" varchar(64) NOT NULL,
        "first_name" varchar(64) NOT NULL,
        "last_name" varchar(64) NOT NULL,
        "line" varchar(255) NOT NULL,
        "city" varchar(64) NOT NULL,
        "township" varchar(64) NOT NULL,
        "district" varchar(64) NOT NULL,
        "postcode" varchar(16) NOT NULL,
        "phone" varchar(32) NOT NULL,
        "country" varchar(2) NOT NULL,
        "is_corporate" boolean NOT NULL,
        "company_name" varchar(128) NOT NULL,
        "tax_office" varchar(64) NOT NULL,
        "tax_no" varchar(32) NOT NULL,
        "created_date" timestamptz NOT NULL DEFAULT now(),
        "modified_date" timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX "address_user_idx" ON "address" ("channel_id", "user_id")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "address"`);
  }
}
