import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Loyalty cards (one per user, one user per external account) and the log of verification codes sent. */
export class LoyaltyCards1764300000000 implements MigrationInterface {
  name = 'LoyaltyCards1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE loyalty_card (
        id serial PRIMARY KEY,
        channel_id integer NOT NULL,
        user_id integer NOT NULL CONSTRAINT loyalty_card_user_fkey REFERENCES users (id) ON DELETE CASCADE,
        number varchar(60) NOT NULL,
        account_number varchar(64) NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}',
        created_date timestamptz NOT NULL DEFAULT now(),
        modified_date timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX loyalty_card_user_uq ON loyalty_card (user_id)`);
    await q.query(`CREATE UNIQUE INDEX loyalty_card_account_uq ON loyalty_card (channel_id, account_number)`);
    await q.query(`
      CREATE TABLE sms_send (
        id serial PRIMARY KEY,
        channel_id integer NOT NULL,
        user_id integer NOT NULL,
        phone varchar(60) NOT NULL,
        sent_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX sms_send_phone_idx ON sms_send (channel_id, phone, sent_at)`);
    await q.query(`CREATE INDEX sms_send_user_idx ON sms_send (channel_id, user_id, sent_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sms_send`);
    await q.query(`DROP TABLE loyalty_card`);
  }
}
