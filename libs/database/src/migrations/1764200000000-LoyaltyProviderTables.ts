import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The `local` loyalty provider's accounts and the SMS outbox. */
export class LoyaltyProviderTables1764200000000 implements MigrationInterface {
  name = 'LoyaltyProviderTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE local_loyalty_account (
        id serial PRIMARY KEY,
        account_number varchar(32) NOT NULL,
        email varchar(254) NOT NULL,
        phone varchar(60) NOT NULL,
        first_name varchar(30) NOT NULL,
        last_name varchar(30) NOT NULL,
        gender varchar(7) NOT NULL,
        date_of_birth date,
        email_allowed boolean,
        sms_allowed boolean,
        call_allowed boolean,
        points integer NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true,
        created_date timestamptz NOT NULL DEFAULT now(),
        modified_date timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX local_loyalty_account_number_uq ON local_loyalty_account (account_number)`);
    await q.query(`CREATE INDEX local_loyalty_account_email_idx ON local_loyalty_account (email)`);
    await q.query(`CREATE INDEX local_loyalty_account_phone_idx ON local_loyalty_account (phone)`);
    await q.query(`
      CREATE TABLE sms_message (
        id serial PRIMARY KEY,
        channel_id integer NOT NULL,
        phone varchar(60) NOT NULL,
        body varchar(640) NOT NULL,
        created_date timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sms_message_channel_created_idx ON sms_message (channel_id, created_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sms_message`);
    await q.query(`DROP TABLE local_loyalty_account`);
  }
}
