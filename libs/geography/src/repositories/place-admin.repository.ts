import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { violatedUniqueIndex } from '@app/database';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from '../entities/geography.entity';
import { citiesQuery, districtsQuery, townshipsQuery } from './place.repository';

export type PlaceKind = 'country' | 'city' | 'township' | 'district';

export const PLACE_ENTITIES = {
  country: CountryEntity,
  city: CityEntity,
  township: TownshipEntity,
  district: DistrictEntity,
} as const;

/** A back-office list's filters (each left out when undefined) and its page. */
export interface PlaceListFilter {
  offset: number;
  limit: number;
  active?: boolean;
  /** Part of the name, case-insensitive; LIKE's wildcards are taken literally. */
  name?: string;
  /** A country's code (upper case). */
  code?: string;
  /** The parent's pk: a city's country, a township's city, a district's township. */
  parent?: number;
  /** Only places with a retail store: none has one (retail stores are not modelled). */
  onlyWithRetailStore?: boolean;
}

/** A save's outcome: the row as saved, or the field whose value another row of the same parent already has. */
export type PlaceSaved<T> = { saved: T } | { taken: 'code' | 'name' };

/** The column that names a place's parent, by table. */
const PARENT_PROPERTY: Record<string, string> = { city: 'countryId', township: 'cityId', district: 'townshipId' };

/**
 * The back office's reads and writes of the four place tables: the lists with their filters, one row by pk, and
 * the saves with their uniqueness check (a country's code, a name under its parent).
 */
@Injectable()
export class PlaceAdminRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  countries(filter: PlaceListFilter): Promise<[CountryEntity[], number]> {
    const builder = this.dataSource.getRepository(CountryEntity).createQueryBuilder('k').orderBy('k.name');
    builder.addOrderBy('k.id');
    if (filter.code !== undefined) builder.andWhere('k.code = :code', { code: filter.code });
    return listed(builder, 'k', filter);
  }

  cities(filter: PlaceListFilter): Promise<[CityEntity[], number]> {
    const builder = citiesQuery(this.dataSource.getRepository(CityEntity).createQueryBuilder('c'));
    if (filter.parent !== undefined) builder.andWhere('c.countryId = :parent', { parent: filter.parent });
    return listed(builder, 'c', filter);
  }

  townships(filter: PlaceListFilter): Promise<[TownshipEntity[], number]> {
    const builder = townshipsQuery(this.dataSource.getRepository(TownshipEntity).createQueryBuilder('t'));
    if (filter.parent !== undefined) builder.andWhere('t.cityId = :parent', { parent: filter.parent });
    return listed(builder, 't', filter);
  }

  districts(filter: PlaceListFilter): Promise<[DistrictEntity[], number]> {
    const builder = districtsQuery(this.dataSource.getRepository(DistrictEntity).createQueryBuilder('d'));
    if (filter.parent !== undefined) builder.andWhere('d.townshipId = :parent', { parent: filter.parent });
    return listed(builder, 'd', filter);
  }

  /** One row by pk, with the relations asked for; null when there is none. */
  byId<T extends ObjectLiteral>(entity: new () => T, pk: number, relations: object = {}): Promise<T | null> {
    return this.dataSource.getRepository(entity).findOne({ where: { id: pk } as never, relations });
  }

  exists(entity: new () => ObjectLiteral, pk: number): Promise<boolean> {
    return this.dataSource.getRepository(entity).exists({ where: { id: pk } });
  }

  /**
   * Saves a row unless its code (countries) or its name under the same parent is another row's. Looked for first;
   * two concurrent writes of one name meet at the unique index, and the loser is answered the same.
   */
  async save<T extends ObjectLiteral>(entity: new () => T, values: Partial<T>): Promise<PlaceSaved<T>> {
    const table = this.dataSource.getMetadata(entity).tableName;
    const field = table === 'country' ? 'code' : 'name';
    const parent = PARENT_PROPERTY[table];
    const where: Record<string, unknown> = { [field]: values[field] };
    if (parent) where[parent] = values[parent];
    if (values.id !== undefined) where.id = Not(values.id);
    const repository = this.dataSource.getRepository(entity);
    if (await repository.exists({ where: where as never })) return { taken: field };
    try {
      return { saved: await repository.save(values as T) };
    } catch (error) {
      if (violatedUniqueIndex(error) !== undefined) return { taken: field };
      throw error;
    }
  }

  async deactivate(kind: PlaceKind, id: number): Promise<void> {
    await this.dataSource.getRepository(PLACE_ENTITIES[kind]).update({ id }, { isActive: false });
  }
}

/** The filters every list shares, then the page and the count. */
function listed<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  alias: string,
  filter: PlaceListFilter,
): Promise<[T[], number]> {
  if (filter.onlyWithRetailStore) builder.andWhere('false');
  if (filter.active !== undefined) builder.andWhere(`${alias}.isActive = :active`, { active: filter.active });
  if (filter.name !== undefined && filter.name.trim() !== '') {
    const pattern = `%${filter.name.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    builder.andWhere(`${alias}.name ILIKE :name`, { name: pattern });
  }
  return builder.offset(filter.offset).limit(filter.limit).getManyAndCount();
}
