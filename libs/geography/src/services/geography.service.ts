import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type FieldMessage, type Page, toPage } from '@app/common';
import type { CityQueryDto, CountryQueryDto, DistrictQueryDto, TownshipQueryDto } from '../dtos/geography-query.dto';
import type {
  CityResponseDto,
  CountryResponseDto,
  DistrictResponseDto,
  TownshipResponseDto,
} from '../dtos/geography-response.dto';
import { cityOf, districtOf, toCountry, townshipOf } from '../geography.mapper';
import { type PlaceIds, PlaceRepository, type PlaceRows } from '../repositories/place.repository';

export type { PlaceIds, PlaceRows } from '../repositories/place.repository';

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
  constructor(private readonly places: PlaceRepository) {}

  async countries(query: CountryQueryDto, url: URL): Promise<Page<CountryResponseDto>> {
    const [rows, count] = await this.places
      .countries()
      .where('k.isActive')
      .offset(query.offset)
      .limit(query.page_size)
      .getManyAndCount();
    return toPage(rows.map(toCountry), count, query, url);
  }

  async cities(query: CityQueryDto, url: URL): Promise<Page<CityResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = this.places.cities().andWhere('c.isActive AND k.isActive');
    if (query.country !== undefined) builder.andWhere('c.countryId = :country', { country: query.country });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(cityOf), count, query, url);
  }

  async townships(query: TownshipQueryDto, url: URL): Promise<Page<TownshipResponseDto>> {
    if (query.onlyWithRetailStore) return emptyPage();
    const builder = this.places.townships().andWhere('t.isActive AND c.isActive AND k.isActive');
    if (query.city !== undefined) builder.andWhere('t.cityId = :city', { city: query.city });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(townshipOf), count, query, url);
  }

  async districts(query: DistrictQueryDto, url: URL): Promise<Page<DistrictResponseDto>> {
    const builder = this.places.districts().andWhere('d.isActive AND t.isActive AND c.isActive AND k.isActive');
    if (query.township !== undefined) builder.andWhere('d.townshipId = :township', { township: query.township });
    const [rows, count] = await builder.offset(query.offset).limit(query.page_size).getManyAndCount();
    return toPage(rows.map(districtOf), count, query, url);
  }

  /**
   * The places of an address, checked: each exists and is active, each lies in the one above, and a level is
   * chosen whenever the place above has active places under it (country and city always). Every field that does
   * not fit gets its own error; a field under one that failed is only checked for existing. One statement: it runs
   * on every address write and every checkout address step; in the caller's transaction (`within`) when given.
   */
  async check(ids: PlaceIds, within?: EntityManager): Promise<{ problems: PlaceProblems }> {
    const found = await this.places.placeRows(ids, within);
    return { problems: placeProblems(ids, found) };
  }
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
