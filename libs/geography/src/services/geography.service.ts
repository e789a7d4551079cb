import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type FieldMessage, type Page, toPage } from '@app/common';
import { sqlRows } from '@app/database';
import type { CityQueryDto, CountryQueryDto, DistrictQueryDto, TownshipQueryDto } from '../dtos/geography-query.dto';
import type {
  CityResponseDto,
  CountryResponseDto,
  DistrictResponseDto,
  TownshipResponseDto,
} from '../dtos/geography-response.dto';
import { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from '../entities/geography.entity';
import { cityOf, districtOf, toCountry, townshipOf } from '../geography.mapper';

/** The four places of an address, by pk; null where none is chosen. */
export interface PlaceIds {
  country: number | null;
  city: number | null;
  township: number | null;
  district: number | null;
}

export type PlaceField = keyof PlaceIds;
export type PlaceProblems = Partial<Record<PlaceField, FieldMessage[]>>;

/** The page of a filter nothing can match (places with a retail store: this installation has none). */
function emptyPage<T>(): Page<T> {
  return { count: 0, next: null, previous: null, results: [] };
}

/**
 * The storefront's geography: the lookups of the address form (active rows only; a row under an inactive parent
 * is hidden with it) and the rules an address's places follow.
 */
@Injectable()
export class GeographyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async countries(query: CountryQueryDto, url: URL): Promise<Page<CountryResponseDto>> {
    const [rows, count] = await this.dataSource
      .getRepository(CountryEntity)
      .createQueryBuilder('k')
      .where('k.isActive')
      .orderBy('k.name')
      .addOrderBy('k.id')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return toPage(rows.map(toCountry), count, query, url);
  }

  async cities(query: CityQueryDto, url: URL): Promise<Page<CityResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = citiesQuery(this.dataSource.getRepository(CityEntity).createQueryBuilder('c')).andWhere(
      'c.isActive AND k.isActive',
    );
    if (query.country !== undefined) builder.andWhere('c.countryId = :country', { country: query.country });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(cityOf), count, query, url);
  }

  async townships(query: TownshipQueryDto, url: URL): Promise<Page<TownshipResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = townshipsQuery(this.dataSource.getRepository(TownshipEntity).createQueryBuilder('t')).andWhere(
      't.isActive AND c.isActive AND k.isActive',
    );
    if (query.city !== undefined) builder.andWhere('t.cityId = :city', { city: query.city });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(townshipOf), count, query, url);
  }

  async districts(query: DistrictQueryDto, url: URL): Promise<Page<DistrictResponseDto>> {
    const builder = districtsQuery(this.dataSource.getRepository(DistrictEntity).createQueryBuilder('d')).andWhere(
      'd.isActive AND t.isActive AND c.isActive AND k.isActive',
    );
    if (query.township !== undefined) builder.andWhere('d.townshipId = :township', { township: query.township });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(districtOf), count, query, url);
  }

  /**
   * The places of an address, checked: each exists and is active, each lies in the one above, and a level is
   * chosen whenever the place above has active places under it (country and city always). Every field that does
   * not fit gets its own error; a field under one that failed is only checked for existing. One statement: it runs
   * on every address write and every checkout address step.
   */
  async check(m: EntityManager, ids: PlaceIds): Promise<{ problems: PlaceProblems }> {
    const [found] = await sqlRows<PlaceRows>(
      m,
      `SELECT k."is_active" AS country_active,
              c."is_active" AS city_active, c."country_id" AS city_parent,
              t."is_active" AS township_active, t."city_id" AS township_parent,
              d."is_active" AS district_active, d."township_id" AS district_parent,
              EXISTS (SELECT 1 FROM "township" x WHERE x."city_id" = c."id" AND x."is_active") AS city_has_townships,
              EXISTS (SELECT 1 FROM "district" x WHERE x."township_id" = t."id" AND x."is_active") AS township_has_districts
         FROM (SELECT 1) AS one
         LEFT JOIN "country" k ON k."id" = $1
         LEFT JOIN "city" c ON c."id" = $2
         LEFT JOIN "township" t ON t."id" = $3
         LEFT JOIN "district" d ON d."id" = $4`,
      [ids.country, ids.city, ids.township, ids.district],
    );
    return { problems: placeProblems(ids, found) };
  }
}

/**
 * What `check` reads of an address's four places; nulls where a pk names no row. A read that has the places at hand
 * (the checkout's addresses with their places) builds it itself and calls `placeProblems`, without a statement.
 */
export interface PlaceRows {
  country_active: boolean | null;
  city_active: boolean | null;
  city_parent: number | null;
  township_active: boolean | null;
  township_parent: number | null;
  district_active: boolean | null;
  district_parent: number | null;
  city_has_townships: boolean;
  township_has_districts: boolean;
}

/** The rules of `GeographyService.check` over what it read of the places (PlaceRows). */
export function placeProblems(ids: PlaceIds, found: PlaceRows): PlaceProblems {
  const problems: PlaceProblems = {};
  type Problem = 'validation.required' | 'geography.choice_invalid' | `geography.${string}_not_in_${string}`;
  const fail = (field: PlaceField, key: Problem): false => {
    // Keys without placeholders: the message needs no arguments.
    problems[field] = [{ key } as FieldMessage];
    return false;
  };
  /** Whether the field holds a usable place: chosen (or else required), existing and active. */
  const usable = (field: PlaceField, active: boolean | null, required: boolean): boolean => {
    if (ids[field] === null) return required ? fail(field, 'validation.required') : false;
    return active === true || fail(field, 'geography.choice_invalid');
  };
  const country = usable('country', found.country_active, true);
  let city = usable('city', found.city_active, true);
  if (city && country && found.city_parent !== ids.country) city = fail('city', 'geography.city_not_in_country');
  let township = usable('township', found.township_active, city && found.city_has_townships);
  if (township && city && found.township_parent !== ids.city) {
    township = fail('township', 'geography.township_not_in_city');
  }
  const district = usable('district', found.district_active, township && found.township_has_districts);
  if (district && (township || ids.township === null) && found.district_parent !== ids.township) {
    fail('district', 'geography.district_not_in_township');
  }
  return problems;
}

/** Cities with their country, in list order: priority (lower first, none last), then name. */
export function citiesQuery(builder: SelectQueryBuilder<CityEntity>): SelectQueryBuilder<CityEntity> {
  return builder
    .innerJoinAndSelect('c.country', 'k')
    .orderBy('c.priority', 'ASC', 'NULLS LAST')
    .addOrderBy('c.name')
    .addOrderBy('c.id');
}

export function townshipsQuery(builder: SelectQueryBuilder<TownshipEntity>): SelectQueryBuilder<TownshipEntity> {
  return builder
    .innerJoinAndSelect('t.city', 'c')
    .innerJoinAndSelect('c.country', 'k')
    .orderBy('t.name')
    .addOrderBy('t.id');
}

export function districtsQuery(builder: SelectQueryBuilder<DistrictEntity>): SelectQueryBuilder<DistrictEntity> {
  return builder
    .innerJoinAndSelect('d.township', 't')
    .innerJoin('t.city', 'c')
    .innerJoin('c.country', 'k')
    .orderBy('d.name')
    .addOrderBy('d.id');
}
