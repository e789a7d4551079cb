import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity: sales channels (with the demo channel), storefront users and sessions, back-office staff and tokens.
 * The demo channel is seeded here, idempotently, so the first `npm start` has a channel to serve.
 */
export class Identity1764000000000 implements MigrationInterface {
  name = 'Identity1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "channels" (
        "id" SERIAL NOT NULL,
        "name" character varying(100) NOT NULL,
        "default_currency" character varying(3) NOT NULL,
        "currencies" character varying(3) array NOT NULL,
        "default_language" character varying(8) NOT NULL,
        CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
      )`);
    await q.query(`
      CREATE TABLE "users" (
        "id" SERIAL NOT NULL,
        "channel_id" integer NOT NULL,
        "username" character varying(150) NOT NULL,
        "email" character varying(254) NOT NULL,
        "email_lower" character varying(254) NOT NULL,
        "password_hash" character varying(255) NOT NULL,
        "first_name" character varying(150) NOT NULL DEFAULT '',
        "last_name" character varying(150) NOT NULL DEFAULT '',
        "is_active" boolean NOT NULL DEFAULT true,
        "date_joined" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_login" TIMESTAMP WITH TIME ZONE,
        "email_allowed" boolean NOT NULL DEFAULT false,
        "sms_allowed" boolean NOT NULL DEFAULT false,
        "call_allowed" boolean,
        "gender" character varying(16) NOT NULL DEFAULT 'unknown',
        "attributes" jsonb NOT NULL DEFAULT '{}',
        "phone" character varying(32),
        "date_of_birth" date,
        "attributes_kwargs" jsonb NOT NULL DEFAULT '{}',
        "user_type" character varying(32) NOT NULL DEFAULT 'registered',
        "modified_date" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "users_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id")
          ON DELETE RESTRICT ON UPDATE NO ACTION
      )`);
    await q.query(`CREATE UNIQUE INDEX "users_channel_email_lower_key" ON "users" ("channel_id", "email_lower")`);
    await q.query(`CREATE UNIQUE INDEX "users_channel_username_key" ON "users" ("channel_id", "username")`);
    await q.query(`
      CREATE TABLE "sessions" (
        "id_hash" character(64) NOT NULL,
        "channel_id" integer NOT NULL,
        "user_id" integer,
        "data" jsonb NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "sessions_pkey" PRIMARY KEY ("id_hash")
      )`);
    await q.query(`CREATE INDEX "sessions_expires_at_idx" ON "sessions" ("expires_at")`);
    await q.query(`
      CREATE TABLE "staff_users" (
        "id" SERIAL NOT NULL,
        "username" character varying(150) NOT NULL,
        "password_hash" character varying(255) NOT NULL,
        "is_superuser" boolean NOT NULL DEFAULT false,
        "is_active" boolean NOT NULL DEFAULT true,
        "channel_ids" integer array NOT NULL DEFAULT '{}',
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "staff_users_pkey" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "staff_users_username_key" ON "staff_users" ("username")`);
    await q.query(`
      CREATE TABLE "staff_tokens" (
        "id" SERIAL NOT NULL,
        "staff_user_id" integer NOT NULL,
        "token_hash" character(64) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "staff_tokens_pkey" PRIMARY KEY ("id"),
        CONSTRAINT "staff_tokens_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "staff_users"("id")
          ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await q.query(`CREATE UNIQUE INDEX "staff_tokens_token_hash_key" ON "staff_tokens" ("token_hash")`);
    await q.query(`CREATE INDEX "staff_tokens_staff_user_id_idx" ON "staff_tokens" ("staff_user_id")`);
    // The demo channel: id 1 is STOREFRONT_CHANNEL_ID's default. The sequence moves past it for later channels.
    await q.query(`
      INSERT INTO "channels" ("id", "name", "default_currency", "currencies", "default_language")
      VALUES (1, 'Demo channel', 'try', ARRAY['try', 'usd', 'eur'], 'tr')
      ON CONFLICT ("id") DO NOTHING`);
    await q.query(`SELECT setval(pg_get_serial_sequence('channels', 'id'), (SELECT MAX("id") FROM "channels"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "staff_tokens"`);
    await q.query(`DROP TABLE "staff_users"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP TABLE "channels"`);
  }
}
