import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation, Unique } from 'typeorm';

/**
 * Geography of the installation (not of a channel): country > city > township > district, as the storefront
 * client's address form picks them. Rows are deactivated, never deleted (addresses and orders point at them), and
 * a row's parent never changes after it is created, so an address's city always lies in its country.
 */

/** `{"tr": {"name": "Türkiye"}}`: names per language, as the platform answers them. */
/** Names sort in Turkish order (migration 1764990000000 sets it on the columns). */
const NAME_COLLATION = 'tr-x-icu';

export type GeographyTranslations = Record<string, { name: string }>;

@Entity('country')
export class CountryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** ISO 3166-1 alpha-2, upper-case. */
  @Index('country_code_uq', { unique: true })
  @Column({ type: 'varchar', length: 2 })
  code!: string;

  @Column({ type: 'varchar', length: 64, collation: NAME_COLLATION })
  name!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  translations!: GeographyTranslations | null;
}

@Entity('city')
@Unique('city_country_name_uq', ['countryId', 'name'])
export class CityEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'country_id', type: 'integer' })
  countryId!: number;

  @ManyToOne(() => CountryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_id', foreignKeyConstraintName: 'city_country_fkey' })
  country?: Relation<CountryEntity>;

  @Column({ type: 'varchar', length: 64, collation: NAME_COLLATION })
  name!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  postcode!: string | null;

  /** Lists show lower numbers first, then cities without one, each by name. */
  @Column({ type: 'integer', nullable: true })
  priority!: number | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  translations!: GeographyTranslations | null;
}

@Entity('township')
@Unique('township_city_name_uq', ['cityId', 'name'])
export class TownshipEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'city_id', type: 'integer' })
  cityId!: number;

  @ManyToOne(() => CityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'city_id', foreignKeyConstraintName: 'township_city_fkey' })
  city?: Relation<CityEntity>;

  @Column({ type: 'varchar', length: 64, collation: NAME_COLLATION })
  name!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  postcode!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;
}

@Entity('district')
@Unique('district_township_name_uq', ['townshipId', 'name'])
export class DistrictEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ name: 'township_id', type: 'integer' })
  townshipId!: number;

  @ManyToOne(() => TownshipEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'township_id', foreignKeyConstraintName: 'district_township_fkey' })
  township?: Relation<TownshipEntity>;

  @Column({ type: 'varchar', length: 64, collation: NAME_COLLATION })
  name!: string;

  @Column({ type: 'varchar', length: 16, nullable: true })
  postcode!: string | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;
}
