import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from '@app/geography';
import { UserEntity } from '@app/identity';

/**
 * A signed-in user's saved delivery or billing address. The places are geography rows; all four are null on an
 * address migrated from free text that did not match (its old text is in `notes`), which checkout refuses.
 */
@Entity('address')
@Index('address_user_idx', ['channelId', 'userId'])
@Index('address_primary_uq', ['userId'], { unique: true, where: '"primary"' })
export class AddressEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'channel_id', type: 'integer' })
  channelId!: number;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'address_user_fkey' })
  user?: Relation<UserEntity>;

  @Column({ type: 'varchar', length: 64 })
  title!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 64 })
  firstName!: string;

  @Column({ name: 'last_name', type: 'varchar', length: 64 })
  lastName!: string;

  @Column({ type: 'varchar', length: 255 })
  line!: string;

  @Column({ name: 'country_id', type: 'integer', nullable: true })
  countryId!: number | null;

  @ManyToOne(() => CountryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_id', foreignKeyConstraintName: 'address_country_fkey' })
  country?: Relation<CountryEntity> | null;

  @Column({ name: 'city_id', type: 'integer', nullable: true })
  cityId!: number | null;

  @ManyToOne(() => CityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'city_id', foreignKeyConstraintName: 'address_city_fkey' })
  city?: Relation<CityEntity> | null;

  @Column({ name: 'township_id', type: 'integer', nullable: true })
  townshipId!: number | null;

  @ManyToOne(() => TownshipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'township_id', foreignKeyConstraintName: 'address_township_fkey' })
  township?: Relation<TownshipEntity> | null;

  @Column({ name: 'district_id', type: 'integer', nullable: true })
  districtId!: number | null;

  @ManyToOne(() => DistrictEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'district_id', foreignKeyConstraintName: 'address_district_fkey' })
  district?: Relation<DistrictEntity> | null;

  @Column({ type: 'varchar', length: 16 })
  postcode!: string;

  @Column({ name: 'phone_number', type: 'varchar', length: 32 })
  phoneNumber!: string;

  @Column({ type: 'varchar', length: 254, default: '' })
  email!: string;

  @Column({ name: 'identity_number', type: 'varchar', length: 32, default: '' })
  identityNumber!: string;

  @Column({ type: 'varchar', length: 1000, default: '' })
  notes!: string;

  /** The user's default address; at most one per user (a partial unique index). */
  @Column({ type: 'boolean', default: false })
  primary!: boolean;

  @Column({ name: 'is_corporate', type: 'boolean' })
  isCorporate!: boolean;

  @Column({ name: 'company_name', type: 'varchar', length: 128 })
  companyName!: string;

  @Column({ name: 'tax_office', type: 'varchar', length: 64 })
  taxOffice!: string;

  @Column({ name: 'tax_no', type: 'varchar', length: 32 })
  taxNo!: string;

  @Column({ name: 'e_bill_taxpayer', type: 'boolean', default: false })
  eBillTaxpayer!: boolean;

  @CreateDateColumn({ name: 'created_date', type: 'timestamptz' })
  createdDate!: Date;

  @UpdateDateColumn({ name: 'modified_date', type: 'timestamptz' })
  modifiedDate!: Date;
}
