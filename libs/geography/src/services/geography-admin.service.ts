import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { INT4_MAX, NotFoundError, type Page, toPage, ValidationFailedError } from '@app/common';
import { violatedUniqueIndex } from '@app/database';
import type {
  CityCreateDto,
  CityUpdateDto,
  CountryCreateDto,
  CountryUpdateDto,
  DistrictCreateDto,
  DistrictUpdateDto,
  TownshipCreateDto,
  TownshipUpdateDto,
} from '../dtos/geography-admin.dto';
import {
  activeFilter,
  type CityAdminQueryDto,
  type CountryAdminQueryDto,
  type DistrictAdminQueryDto,
  type GeographyPageQueryDto,
  type TownshipAdminQueryDto,
} from '../dtos/geography-query.dto';
import type {
  CityResponseDto,
  CountryResponseDto,
  DistrictResponseDto,
  TownshipResponseDto,
} from '../dtos/geography-response.dto';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from '../entities/geography.entity';
import { cityOf, districtOf, toCountry, townshipOf } from '../geography.mapper';
import { citiesQuery, districtsQuery, townshipsQuery } from '../repositories/place.repository';

/** Unknown pk in a back-office path. */
export class PlaceNotFoundError extends NotFoundError {
  constructor() {
    super('place_not_found', 'geography.not_found');
  }
}

/** The fields of a DTO that were sent; `undefined` leaves a column as it is. */
function sent<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const postcodeOf = (value: string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null || value === '' ? null : value;

function refuseParent(field: string, value: unknown): void {
  if (value !== undefined) throw ValidationFailedError.forField(field, 'geography.parent_read_only');
}

/** Case-insensitive part of the name, with LIKE's wildcards taken literally. */
function nameLike(builder: SelectQueryBuilder<ObjectLiteral>, alias: string, name: string | undefined): void {
  if (name === undefined || name.trim() === '') return;
  const pattern = `%${name.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  builder.andWhere(`${alias}.name ILIKE :name`, { name: pattern });
}

function activeIs(builder: SelectQueryBuilder<ObjectLiteral>, alias: string, query: { is_active?: string }): void {
  const active = activeFilter(query);
  if (active !== undefined) builder.andWhere(`${alias}.isActive = :active`, { active });
}

async function paged<T extends ObjectLiteral, R>(
  builder: SelectQueryBuilder<T>,
  query: GeographyPageQueryDto,
  url: URL,
  map: (row: T) => R,
): Promise<Page<R>> {
  const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
  return toPage(rows.map(map), count, query, url);
}

/**
 * The back office's geography (superuser only; the controllers say so): inactive rows are listed too, rows are
 * created and changed, and deactivated rather than deleted. A row keeps its parent for life.
 */
@Injectable()
export class GeographyAdminService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listCountries(query: CountryAdminQueryDto, url: URL): Promise<Page<CountryResponseDto>> {
    const builder = this.dataSource.getRepository(CountryEntity).createQueryBuilder('k').orderBy('k.name');
    builder.addOrderBy('k.id');
    activeIs(builder, 'k', query);
    nameLike(builder, 'k', query.name);
    if (query.code !== undefined) builder.andWhere('k.code = :code', { code: query.code.toUpperCase() });
    return paged(builder, query, url, toCountry);
  }

  listCities(query: CityAdminQueryDto, url: URL): Promise<Page<CityResponseDto>> {
    const builder = citiesQuery(this.dataSource.getRepository(CityEntity).createQueryBuilder('c'));
    if (query.onlyWithRetailStore) builder.andWhere('false');
    if (query.country !== undefined) builder.andWhere('c.countryId = :country', { country: query.country });
    activeIs(builder, 'c', query);
    nameLike(builder, 'c', query.name);
    return paged(builder, query, url, cityOf);
  }

  listTownships(query: TownshipAdminQueryDto, url: URL): Promise<Page<TownshipResponseDto>> {
    const builder = townshipsQuery(this.dataSource.getRepository(TownshipEntity).createQueryBuilder('t'));
    if (query.onlyWithRetailStore) builder.andWhere('false');
    if (query.city !== undefined) builder.andWhere('t.cityId = :city', { city: query.city });
    activeIs(builder, 't', query);
    nameLike(builder, 't', query.name);
    return paged(builder, query, url, townshipOf);
  }

  listDistricts(query: DistrictAdminQueryDto, url: URL): Promise<Page<DistrictResponseDto>> {
    const builder = districtsQuery(this.dataSource.getRepository(DistrictEntity).createQueryBuilder('d'));
    if (query.township !== undefined) builder.andWhere('d.townshipId = :township', { township: query.township });
    activeIs(builder, 'd', query);
    nameLike(builder, 'd', query.name);
    return paged(builder, query, url, districtOf);
  }

  async country(pk: number): Promise<CountryResponseDto> {
    return toCountry(await this.find(CountryEntity, pk, {}));
  }

  async city(pk: number): Promise<CityResponseDto> {
    return cityOf(await this.find(CityEntity, pk, { country: true }));
  }

  async township(pk: number): Promise<TownshipResponseDto> {
    return townshipOf(await this.find(TownshipEntity, pk, { city: { country: true } }));
  }

  async district(pk: number): Promise<DistrictResponseDto> {
    return districtOf(await this.find(DistrictEntity, pk, { township: true }));
  }

  async createCountry(dto: CountryCreateDto): Promise<CountryResponseDto> {
    const row = await this.save(CountryEntity, {
      code: dto.code,
      name: dto.name,
      isActive: dto.is_active ?? true,
      translations: dto.translations ?? null,
    });
    return this.country(row.id);
  }

  async updateCountry(pk: number, dto: CountryUpdateDto): Promise<CountryResponseDto> {
    const row = await this.find(CountryEntity, pk, {});
    const changes = sent({ code: dto.code, name: dto.name, isActive: dto.is_active, translations: dto.translations });
    await this.save(CountryEntity, Object.assign(row, changes));
    return this.country(pk);
  }

  async createCity(dto: CityCreateDto): Promise<CityResponseDto> {
    await this.parent(CountryEntity, dto.country, 'country');
    const row = await this.save(CityEntity, {
      countryId: dto.country,
      name: dto.name,
      postcode: postcodeOf(dto.postcode) ?? null,
      priority: dto.priority ?? null,
      isActive: dto.is_active ?? true,
      translations: dto.translations ?? null,
    });
    return this.city(row.id);
  }

  async updateCity(pk: number, dto: CityUpdateDto): Promise<CityResponseDto> {
    refuseParent('country', dto.country);
    const row = await this.find(CityEntity, pk, {});
    const changes = sent({
      name: dto.name,
      postcode: postcodeOf(dto.postcode),
      priority: dto.priority,
      isActive: dto.is_active,
      translations: dto.translations,
    });
    await this.save(CityEntity, Object.assign(row, changes));
    return this.city(pk);
  }

  async createTownship(dto: TownshipCreateDto): Promise<TownshipResponseDto> {
    await this.parent(CityEntity, dto.city, 'city');
    const row = await this.save(TownshipEntity, {
      cityId: dto.city,
      name: dto.name,
      postcode: postcodeOf(dto.postcode) ?? null,
      isActive: dto.is_active ?? true,
    });
    return this.township(row.id);
  }

  async updateTownship(pk: number, dto: TownshipUpdateDto): Promise<TownshipResponseDto> {
    refuseParent('city', dto.city);
    const row = await this.find(TownshipEntity, pk, {});
    const changes = sent({ name: dto.name, postcode: postcodeOf(dto.postcode), isActive: dto.is_active });
    await this.save(TownshipEntity, Object.assign(row, changes));
    return this.township(pk);
  }

  async createDistrict(dto: DistrictCreateDto): Promise<DistrictResponseDto> {
    await this.parent(TownshipEntity, dto.township, 'township');
    const row = await this.save(DistrictEntity, {
      townshipId: dto.township,
      name: dto.name,
      postcode: postcodeOf(dto.postcode) ?? null,
      isActive: dto.is_active ?? true,
    });
    return this.district(row.id);
  }

  async updateDistrict(pk: number, dto: DistrictUpdateDto): Promise<DistrictResponseDto> {
    refuseParent('township', dto.township);
    const row = await this.find(DistrictEntity, pk, {});
    const changes = sent({ name: dto.name, postcode: postcodeOf(dto.postcode), isActive: dto.is_active });
    await this.save(DistrictEntity, Object.assign(row, changes));
    return this.district(pk);
  }

  /** Deactivation hides a row (and what lies under it) from the storefront; nothing is deleted. */
  async deactivate(kind: 'country' | 'city' | 'township' | 'district', pk: number): Promise<void> {
    const entity = { country: CountryEntity, city: CityEntity, township: TownshipEntity, district: DistrictEntity }[
      kind
    ];
    const row = await this.find<{ id: number; isActive: boolean }>(entity, pk, {});
    await this.dataSource.getRepository(entity).update({ id: row.id }, { isActive: false });
  }

  private async find<T extends ObjectLiteral>(entity: new () => T, pk: number, relations: object): Promise<T> {
    if (!Number.isSafeInteger(pk) || pk < 1 || pk > INT4_MAX) throw new PlaceNotFoundError();
    const row = await this.dataSource.getRepository(entity).findOne({ where: { id: pk } as never, relations });
    if (!row) throw new PlaceNotFoundError();
    return row;
  }

  private async parent(entity: new () => ObjectLiteral, pk: number, field: string): Promise<void> {
    if (!(await this.dataSource.getRepository(entity).exists({ where: { id: pk } }))) {
      throw ValidationFailedError.forField(field, 'geography.choice_invalid');
    }
  }

  /**
   * Saves a row; a taken code (countries) or name (under the same parent) is that field's error, not a 500. Looked
   * for first; two concurrent writes of one name meet at the unique index, and the loser gets the same error.
   */
  private async save<T extends ObjectLiteral>(entity: new () => T, values: Partial<T>): Promise<T> {
    const table = this.dataSource.getMetadata(entity).tableName;
    const field = table === 'country' ? 'code' : 'name';
    const parent = ({ city: 'countryId', township: 'cityId', district: 'townshipId' } as Record<string, string>)[table];
    const where: Record<string, unknown> = { [field]: values[field] };
    if (parent) where[parent] = values[parent];
    if (values.id !== undefined) where.id = Not(values.id);
    const taken = field === 'code' ? 'geography.code_taken' : 'geography.name_taken';
    if (await this.dataSource.getRepository(entity).exists({ where: where as never })) {
      throw ValidationFailedError.forField(field, taken);
    }
    try {
      return await this.dataSource.getRepository(entity).save(values as T);
    } catch (error) {
      if (violatedUniqueIndex(error) !== undefined) throw ValidationFailedError.forField(field, taken);
      throw error;
    }
  }
}
