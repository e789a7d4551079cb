import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12: the `local` provider's members belong to a channel, and the phones a customer proved by SMS code are
 * kept, since only those may link an existing external account (docs/security.md).
 *
 * Existing members take a channel by this rule: a member some card links to takes the channel of that card's user;
 * a member no card links to takes the installation's default channel, the first one (the lowest id: channel 1,
 * created by the first migration and served by STOREFRONT_CHANNEL_ID's default).
 */
export class LoyaltyOwnership1764900000000 implements MigrationInterface {
  name = 'LoyaltyOwnership1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE local_loyalty_account ADD COLUMN channel_id integer`);
    await q.query(`
      UPDATE local_loyalty_account a SET channel_id = u.channel_id
        FROM loyalty_card c JOIN users u ON u.id = c.user_id
       WHERE c.account_number = a.account_number`);
    await q.query(`
      UPDATE local_loyalty_account SET channel_id = (SELECT min(id) FROM channels) WHERE channel_id IS NULL`);
    await q.query(`ALTER TABLE local_loyalty_account ALTER COLUMN channel_id SET NOT NULL`);
    await q.query(`DROP INDEX local_loyalty_account_email_idx`);
    await q.query(`DROP INDEX local_loyalty_account_phone_idx`);
    await q.query(`CREATE INDEX local_loyalty_account_email_idx ON local_loyalty_account (channel_id, email)`);
    await q.query(`CREATE INDEX local_loyalty_account_phone_idx ON local_loyalty_account (channel_id, phone)`);
    await q.query(`
      CREATE TABLE verified_phone (
        id serial PRIMARY KEY,
        channel_id integer NOT NULL,
        user_id integer NOT NULL CONSTRAINT verified_phone_user_fkey REFERENCES users (id) ON DELETE CASCADE,
        phone varchar(60) NOT NULL,
        verified_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX verified_phone_user_phone_uq ON verified_phone (user_id, phone)`);
    await q.query(`CREATE INDEX verified_phone_channel_phone_idx ON verified_phone (channel_id, phone)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE verified_phone`);
    await q.query(`DROP INDEX local_loyalty_account_email_idx`);
    await q.query(`DROP INDEX local_loyalty_account_phone_idx`);
    await q.query(`ALTER TABLE local_loyalty_account DROP COLUMN channel_id`);
    await q.query(`CREATE INDEX local_loyalty_account_email_idx ON local_loyalty_account (email)`);
    await q.query(`CREATE INDEX local_loyalty_account_phone_idx ON local_loyalty_account (phone)`);
  }
}
