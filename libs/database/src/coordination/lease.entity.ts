import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named lease (see `Leases`): who holds it and until when, by the database's clock. */
@Entity('lease')
export class LeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 200, primaryKeyConstraintName: 'lease_pkey' })
  name!: string;

  @Column({ type: 'varchar', length: 100 })
  holder!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
