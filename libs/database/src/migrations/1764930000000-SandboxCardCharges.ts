import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The sandbox gateway's record of charges by idempotency key (what a real gateway keeps on its side). */
export class SandboxCardCharges1764930000000 implements MigrationInterface {
  name = 'SandboxCardCharges1764930000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sandbox_card_charge (
        idempotency_key varchar(64) NOT NULL CONSTRAINT sandbox_card_charge_pkey PRIMARY KEY,
        amount numeric(20,2) NOT NULL,
        status varchar(16) NOT NULL,
        reference varchar(64) NOT NULL,
        decline_reason varchar(32),
        card_type varchar(16),
        last4 varchar(4) NOT NULL,
        created_date timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT chk_sandbox_card_charge_status CHECK (status IN ('approved', 'declined', 'failed', 'voided'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sandbox_card_charge`);
  }
}
