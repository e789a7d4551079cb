import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type FieldMessage, type Page, toPage, ValidationFailedError } from '@app/common';
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

export interface Places {
  country: CountryEntity | null;
  city: CityEntity | null;
  township: TownshipEntity | null;
  district: DistrictEntity | null;
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
      .skip(query.offset)
      .take(query.page_size)
      .getManyAndCount();
    return toPage(rows.map(toCountry), count, query, url);
  }

  async cities(query: CityQueryDto, url: URL): Promise<Page<CityResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = citiesQuery(this.dataSource.getRepository(CityEntity).createQueryBuilder('c')).andWhere(
      'c.isActive AND k.isActive',
    );
    if (query.country !== undefined) builder.andWhere('c.countryId = :country', { country: query.country });
    const [rows, count] = await builder.skip(query.offset).take(query.page_size).getManyAndCount();
    return toPage(rows.map(cityOf), count, query, url);
  }

  async townships(query: TownshipQueryDto, url: URL): Promise<Page<TownshipResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = townshipsQuery(this.dataSource.getRepository(TownshipEntity).createQueryBuilder('t')).andWhere(
      't.isActive AND c.isActive AND k.isActive',
    );
    if (query.city !== undefined) builder.andWhere('t.cityId = :city', { city: query.city });
    const [rows, count] = await builder.skip(query.offset).take(query.page_size).getManyAndCount();
    return toPage(rows.map(townshipOf), count, query, url);
  }

  async districts(query: DistrictQueryDto, url: URL): Promise<Page<DistrictResponseDto>> {
    const builder = districtsQuery(this.dataSource.getRepository(DistrictEntity).createQueryBuilder('d')).andWhere(
      'd.isActive AND t.isActive AND c.isActive AND k.isActive',
    );
    if (query.township !== undefined) builder.andWhere('d.townshipId = :township', { township: query.township });
    const [rows, count] = await builder.skip(query.offset).take(query.page_size).getManyAndCount();
    return toPage(rows.map(districtOf), count, query, url);
  }

  /**
   * The places of an address, checked: each exists and is active, each lies in the one above, and a level is
   * chosen whenever the place above has active places under it (country and city always). Every field that does
   * not fit gets its own error; a field under one that failed is only checked for existing.
   */
  async check(m: EntityManager, ids: PlaceIds): Promise<{ places: Places; problems: PlaceProblems }> {
    const problems: PlaceProblems = {};
    type Problem = 'validation.required' | 'geography.choice_invalid' | `geography.${string}_not_in_${string}`;
    const fail = (field: PlaceField, key: Problem): null => {
      // Keys without placeholders: the message needs no arguments.
      problems[field] = [{ key } as FieldMessage];
      return null;
    };
    const load = async <T extends { isActive: boolean }>(
      field: PlaceField,
      entity: new () => T,
      id: number | null,
    ): Promise<T | null> => {
      if (id === null) return null;
      const row = await m.getRepository(entity).findOne({ where: { id } as never });
      return row?.isActive ? row : fail(field, 'geography.choice_invalid');
    };
    const country =
      ids.country === null ? fail('country', 'validation.required') : await load('country', CountryEntity, ids.country);
    let city = ids.city === null ? fail('city', 'validation.required') : await load('city', CityEntity, ids.city);
    if (city && country && city.countryId !== country.id) city = fail('city', 'geography.city_not_in_country');

    let township = await load('township', TownshipEntity, ids.township);
    if (township && city && township.cityId !== city.id) township = fail('township', 'geography.township_not_in_city');
    if (ids.township === null && city && (await this.hasActive(m, TownshipEntity, { cityId: city.id }))) {
      fail('township', 'validation.required');
    }

    let district = await load('district', DistrictEntity, ids.district);
    if (district && township && district.townshipId !== township.id) {
      district = fail('district', 'geography.district_not_in_township');
    }
    if (ids.district === null && township && (await this.hasActive(m, DistrictEntity, { townshipId: township.id }))) {
      fail('district', 'validation.required');
    }
    if (ids.district !== null && ids.township === null && !problems.district) {
      district = fail('district', 'geography.district_not_in_township');
    }
    return { places: { country, city, township, district }, problems };
  }

  /** `check`, throwing the problems as field errors of the address. */
  async resolve(m: EntityManager, ids: PlaceIds): Promise<Places> {
    const { places, problems } = await this.check(m, ids);
    if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
    return places;
  }

  private hasActive<T extends { isActive: boolean }>(
    m: EntityManager,
    entity: new () => T,
    where: Partial<T>,
  ): Promise<boolean> {
    return m.getRepository(entity).exists({ where: { ...where, isActive: true } as never });
  }
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
