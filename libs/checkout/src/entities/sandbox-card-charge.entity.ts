import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { MinorUnits } from '@app/common';
import { MONEY_COLUMN } from '@app/ledger';

/**
 * The sandbox gateway's own record of the charges it was asked for, by idempotency key: what a real gateway keeps
 * on its side. Kept in the database so that the sandbox answers "what happened to this key?" after a restart and on
 * another instance, as a real gateway does. `failed` is a charge that ended without an answer (its outcome is
 * unknown forever in the sandbox).
 */
@Entity('sandbox_card_charge')
@Check('chk_sandbox_card_charge_status', `"status" IN ('approved', 'declined', 'failed', 'voided')`)
export class SandboxCardChargeEntity {
  @PrimaryColumn({
    name: 'idempotency_key',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'sandbox_card_charge_pkey',
  })
  idempotencyKey!: string;

  @Column({ ...MONEY_COLUMN })
  amount!: MinorUnits;

  @Column({ type: 'varchar', length: 16 })
  status!: 'approved' | 'declined' | 'failed' | 'voided';

  @Column({ type: 'varchar', length: 64 })
  reference!: string;

  @Column({ name: 'decline_reason', type: 'varchar', length: 32, nullable: true })
  declineReason!: string | null;

  @Column({ name: 'card_type', type: 'varchar', length: 16, nullable: true })
  cardType!: string | null;

  @Column({ type: 'varchar', length: 4 })
  last4!: string;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
