import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A per-channel setting changed at run time (LOYALTY_MONEY_ENABLED, ...); unset keys take their defaults. */
@Entity({ name: 'dynamic_setting' })
export class DynamicSetting {
  @PrimaryColumn({ name: 'channel_id', type: 'integer', primaryKeyConstraintName: 'pk_dynamic_setting' })
  channelId!: number;

  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'pk_dynamic_setting' })
  key!: string;

  @Column({ type: 'jsonb' })
  value!: unknown;

  @Column({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
