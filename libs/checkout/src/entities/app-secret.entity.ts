import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A secret every instance of the service shares, drawn once and kept in the database (e.g. the order-token key). */
@Entity('app_secret')
export class AppSecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'app_secret_pkey' })
  name!: string;

  @Column({ type: 'varchar', length: 128 })
  value!: string;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;
}
