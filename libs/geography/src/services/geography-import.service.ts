import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { createValidationPipe, type FieldMessage, ValidationFailedError } from '@app/common';
import { GeographyImportDto, IMPORT_LIMITS } from '../dtos/geography-import.dto';
import {
  type ImportCounts,
  type ImportedPlace,
  PlaceImportRepository,
  placeKey,
} from '../repositories/place-import.repository';

export type { ImportCounts } from '../repositories/place-import.repository';
export type ImportSummary = Record<'countries' | 'cities' | 'townships' | 'districts', ImportCounts>;

function row(
  parent: number,
  place: {
    name: string;
    postcode?: string | null;
    is_active?: boolean;
    priority?: number | null;
    translations?: object | null;
  },
): ImportedPlace {
  return {
    parent,
    name: place.name,
    postcode: place.postcode ? place.postcode : null,
    has_postcode: place.postcode !== undefined,
    priority: place.priority ?? null,
    has_priority: place.priority !== undefined,
    is_active: place.is_active ?? null,
    translations: place.translations ?? null,
    has_translations: place.translations !== undefined,
  };
}

/**
 * Imports countries' whole trees from the import file, idempotently: a country is found by its code, a city by
 * its name in the country, a township in the city, a district in the township. Found rows are updated with what
 * the file gives (fields it leaves out keep their values; `is_active` only when given), new rows are created
 * active, rows the file does not name are left alone. One transaction: a failed import changes nothing.
 */
@Injectable()
export class GeographyImportService {
  constructor(private readonly places: PlaceImportRepository) {}

  /** Checks a parsed file; the field errors name the path (`countries.0.cities.3.name`). */
  async parse(json: unknown): Promise<GeographyImportDto> {
    // The apps' own validation pipe, as for a request body: NUL bytes, unpaired surrogates and nulls are field errors
    // here too, not a database error in the middle of the import's transaction.
    const fieldErrors: Record<string, FieldMessage[]> = {};
    let dto: GeographyImportDto;
    try {
      dto = (await createValidationPipe().transform(json ?? {}, {
        type: 'body',
        metatype: GeographyImportDto,
      })) as GeographyImportDto;
    } catch (error) {
      if (!(error instanceof ValidationFailedError)) throw error;
      Object.assign(fieldErrors, error.fieldErrors);
      // The duplicate and size checks below still look at what the file holds.
      dto = plainToInstance(GeographyImportDto, json ?? {});
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      fieldErrors.countries = [{ key: 'validation.required' }];
    }
    Object.assign(fieldErrors, duplicates(dto));
    let total = 0;
    for (const country of dto.countries ?? []) {
      for (const city of country.cities ?? []) {
        total += 1;
        for (const township of city.townships ?? []) total += 1 + (township.districts?.length ?? 0);
      }
    }
    if (total > IMPORT_LIMITS.rowsTotal) {
      fieldErrors.countries = [{ key: 'validation.max', args: { max: IMPORT_LIMITS.rowsTotal } }];
    }
    if (Object.keys(fieldErrors).length > 0) throw new ValidationFailedError(fieldErrors);
    return dto;
  }

  async import(file: GeographyImportDto): Promise<ImportSummary> {
    return this.places.inTransaction(async (writer) => {
      const summary: ImportSummary = {
        countries: { created: 0, updated: 0 },
        cities: { created: 0, updated: 0 },
        townships: { created: 0, updated: 0 },
        districts: { created: 0, updated: 0 },
      };
      for (const country of file.countries) {
        const countryId = await writer.country(country, summary.countries);
        const cities = country.cities ?? [];
        const cityIds = await writer.level(
          'city',
          cities.map((c) => row(countryId, c)),
          summary.cities,
        );
        const townships = cities.flatMap((c) =>
          (c.townships ?? []).map((t) => ({ t, parent: cityIds.get(placeKey(countryId, c.name))! })),
        );
        const townshipIds = await writer.level(
          'township',
          townships.map(({ t, parent }) => row(parent, t)),
          summary.townships,
        );
        const districts = townships.flatMap(({ t, parent }) =>
          (t.districts ?? []).map((d) => row(townshipIds.get(placeKey(parent, t.name))!, d)),
        );
        await writer.level('district', districts, summary.districts);
      }
      return summary;
    });
  }
}

/** A name given twice under one parent (or a code twice) would be written twice: the second is the error. */
function duplicates(dto: GeographyImportDto): Record<string, FieldMessage[]> {
  const errors: Record<string, FieldMessage[]> = {};
  const check = (items: { name?: unknown }[] | undefined, path: string, field: 'name' | 'code' = 'name'): void => {
    const seen = new Set<unknown>();
    (items ?? []).forEach((item, i) => {
      const value = (item as Record<string, unknown>)[field];
      if (typeof value !== 'string') return;
      if (seen.has(value))
        errors[`${path}.${i}.${field}`] = [{ key: field === 'code' ? 'geography.code_taken' : 'geography.name_taken' }];
      seen.add(value);
    });
  };
  if (!Array.isArray(dto.countries)) return errors;
  check(dto.countries, 'countries', 'code');
  dto.countries.forEach((country, a) => {
    if (!Array.isArray(country.cities)) return;
    check(country.cities, `countries.${a}.cities`);
    country.cities.forEach((city, b) => {
      if (!Array.isArray(city.townships)) return;
      check(city.townships, `countries.${a}.cities.${b}.townships`);
      city.townships.forEach((township, c) => {
        if (Array.isArray(township.districts))
          check(township.districts, `countries.${a}.cities.${b}.townships.${c}.districts`);
      });
    });
  });
  return errors;
}
