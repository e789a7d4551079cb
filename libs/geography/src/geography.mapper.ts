import type {
  CityResponseDto,
  CountryResponseDto,
  DistrictResponseDto,
  TownshipResponseDto,
} from './dtos/geography-response.dto';
import type { CityEntity, CountryEntity, DistrictEntity, TownshipEntity } from './entities/geography.entity';

/** The contract's shapes. A row's parents are passed in: they are loaded with it, or known to the caller. */
export function toCountry(row: CountryEntity): CountryResponseDto {
  return { pk: row.id, code: row.code, name: row.name, is_active: row.isActive, translations: row.translations };
}

export function toCity(row: CityEntity, country: CountryEntity): CityResponseDto {
  return {
    pk: row.id,
    name: row.name,
    country: toCountry(country),
    postcode: row.postcode,
    is_active: row.isActive,
    priority: row.priority,
    translations: row.translations,
  };
}

export function toTownship(row: TownshipEntity, city: CityEntity, country: CountryEntity): TownshipResponseDto {
  return { pk: row.id, name: row.name, city: toCity(city, country), postcode: row.postcode, is_active: row.isActive };
}

export function toDistrict(row: DistrictEntity, cityId: number): DistrictResponseDto {
  return {
    pk: row.id,
    name: row.name,
    city: cityId,
    township: row.townshipId,
    postcode: row.postcode,
    is_active: row.isActive,
  };
}

/** The parents loaded through the relations; they exist by the foreign keys. */
export function cityOf(row: CityEntity): CityResponseDto {
  return toCity(row, row.country!);
}

export function townshipOf(row: TownshipEntity): TownshipResponseDto {
  return toTownship(row, row.city!, row.city!.country!);
}

export function districtOf(row: DistrictEntity): DistrictResponseDto {
  return toDistrict(row, row.township!.cityId);
}
