import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A per-channel setting changed at run time (LOYALTY_MONEY_ENABLED, ...); unset keys take their defaults. */
@Entity({ name: 'dynamic_setting' })
export class DynamicSetting {
  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'pk_dynamic_setting' })
  channel_id!: number;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_dynamic_setting' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ type: 'timestamptz' })
  modified_date!: Date;
}
