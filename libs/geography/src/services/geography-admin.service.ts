import { Injectable } from '@nestjs/common';
import type { ObjectLiteral } from 'typeorm';
import { isPk, type Page, toPage } from '@app/common';
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
import {
  type ParentKind,
  ParentNotFoundError,
  ParentReadOnlyError,
  PlaceNotFoundError,
  PlaceTakenError,
} from '../errors';
import { cityOf, districtOf, toCountry, townshipOf } from '../geography.mapper';
import {
  PLACE_ENTITIES,
  PlaceAdminRepository,
  type PlaceKind,
  type PlaceListFilter,
} from '../repositories/place-admin.repository';

/** The fields of a DTO that were sent; `undefined` leaves a column as it is. */
function sent<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const postcodeOf = (value: string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null || value === '' ? null : value;

function refuseParent(parent: ParentKind, value: unknown): void {
  if (value !== undefined) throw new ParentReadOnlyError(parent);
}

/** A list query's filters and page, as the repository takes them. */
function filterOf(
  query: GeographyPageQueryDto & { is_active?: string; name?: string; onlyWithRetailStore?: boolean },
  parent?: number,
): PlaceListFilter {
  return {
    offset: query.offset,
    limit: query.page_size,
    active: activeFilter(query),
    name: query.name,
    parent,
    onlyWithRetailStore: query.onlyWithRetailStore,
  };
}

async function paged<T, R>(
  listed: Promise<[T[], number]>,
  query: GeographyPageQueryDto,
  url: URL,
  map: (row: T) => R,
): Promise<Page<R>> {
  const [rows, count] = await listed;
  return toPage(rows.map(map), count, query, url);
}

/**
 * The back office's geography (superuser only; the controllers say so): inactive rows are listed too, rows are
 * created and changed, and deactivated rather than deleted. A row keeps its parent for life.
 */
@Injectable()
export class GeographyAdminService {
  constructor(private readonly places: PlaceAdminRepository) {}

  listCountries(query: CountryAdminQueryDto, url: URL): Promise<Page<CountryResponseDto>> {
    const filter = { ...filterOf(query), code: query.code?.toUpperCase() };
    return paged(this.places.countries(filter), query, url, toCountry);
  }

  listCities(query: CityAdminQueryDto, url: URL): Promise<Page<CityResponseDto>> {
    return paged(this.places.cities(filterOf(query, query.country)), query, url, cityOf);
  }

  listTownships(query: TownshipAdminQueryDto, url: URL): Promise<Page<TownshipResponseDto>> {
    return paged(this.places.townships(filterOf(query, query.city)), query, url, townshipOf);
  }

  listDistricts(query: DistrictAdminQueryDto, url: URL): Promise<Page<DistrictResponseDto>> {
    return paged(this.places.districts(filterOf(query, query.township)), query, url, districtOf);
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
  async deactivate(kind: PlaceKind, pk: number): Promise<void> {
    const row = await this.find<{ id: number }>(PLACE_ENTITIES[kind], pk, {});
    await this.places.deactivate(kind, row.id);
  }

  private async find<T extends ObjectLiteral>(entity: new () => T, pk: number, relations: object): Promise<T> {
    if (!isPk(pk)) throw new PlaceNotFoundError();
    const row = await this.places.byId(entity, pk, relations);
    if (!row) throw new PlaceNotFoundError();
    return row;
  }

  private async parent(entity: new () => ObjectLiteral, pk: number, parent: ParentKind): Promise<void> {
    if (!(await this.places.exists(entity, pk))) throw new ParentNotFoundError(parent);
  }

  /** Saves a row; a taken code (countries) or name (under the same parent) is a PlaceTakenError, not a 500. */
  private async save<T extends ObjectLiteral>(entity: new () => T, values: Partial<T>): Promise<T> {
    const outcome = await this.places.save(entity, values);
    if ('saved' in outcome) return outcome.saved;
    throw new PlaceTakenError(outcome.taken);
  }
}
