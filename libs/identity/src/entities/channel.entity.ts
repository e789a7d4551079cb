import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A sales channel: one storefront, its currencies and language. Currency codes are lower-case (`try`). */
@Entity({ name: 'channels' })
export class ChannelEntity {
  @PrimaryGeneratedColumn({ type: 'integer', primaryKeyConstraintName: 'channels_pkey' })
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'default_currency', type: 'varchar', length: 3 })
  defaultCurrency!: string;

  @Column({ type: 'varchar', length: 3, array: true })
  currencies!: string[];

  @Column({ name: 'default_language', type: 'varchar', length: 8 })
  defaultLanguage!: string;
}
