import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { DataSource, type EntityManager } from 'typeorm';
import { createValidationPipe, type FieldMessage, ValidationFailedError } from '@app/common';
import { ADVISORY_LOCK_KEYS, sqlRows } from '@app/database';
import { GeographyImportDto, IMPORT_LIMITS } from '../dtos/geography-import.dto';

/** Rows per statement: one round trip each, well within the statement timeout. */
const CHUNK_ROWS = 2_000;

export interface ImportCounts {
  created: number;
  updated: number;
}
export type ImportSummary = Record<'countries' | 'cities' | 'townships' | 'districts', ImportCounts>;

/** One row to write under a parent. `has_*` says the file gave the field: a field it leaves out is kept. */
interface PlaceRow {
  parent: number;
  name: string;
  postcode: string | null;
  has_postcode: boolean;
  priority: number | null;
  has_priority: boolean;
  is_active: boolean | null;
  translations: object | null;
  has_translations: boolean;
}

interface Level {
  table: 'city' | 'township' | 'district';
  parentColumn: 'country_id' | 'city_id' | 'township_id';
  /** Cities carry priority and translations; the others only name, postcode and activity. */
  extra: boolean;
}

const LEVELS = {
  city: { table: 'city', parentColumn: 'country_id', extra: true },
  township: { table: 'township', parentColumn: 'city_id', extra: false },
  district: { table: 'district', parentColumn: 'township_id', extra: false },
} as const satisfies Record<string, Level>;

function row(
  parent: number,
  place: {
    name: string;
    postcode?: string | null;
    is_active?: boolean;
    priority?: number | null;
    translations?: object | null;
  },
): PlaceRow {
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEYS.geographyImport]);
      const summary: ImportSummary = {
        countries: { created: 0, updated: 0 },
        cities: { created: 0, updated: 0 },
        townships: { created: 0, updated: 0 },
        districts: { created: 0, updated: 0 },
      };
      for (const country of file.countries) {
        const countryId = await this.country(m, country, summary.countries);
        const cities = country.cities ?? [];
        const cityIds = await this.level(
          m,
          LEVELS.city,
          cities.map((c) => row(countryId, c)),
          summary.cities,
        );
        const townships = cities.flatMap((c) =>
          (c.townships ?? []).map((t) => ({ t, parent: cityIds.get(key(countryId, c.name))! })),
        );
        const townshipIds = await this.level(
          m,
          LEVELS.township,
          townships.map(({ t, parent }) => row(parent, t)),
          summary.townships,
        );
        const districts = townships.flatMap(({ t, parent }) =>
          (t.districts ?? []).map((d) => row(townshipIds.get(key(parent, t.name))!, d)),
        );
        await this.level(m, LEVELS.district, districts, summary.districts);
      }
      return summary;
    });
  }

  private async country(
    m: EntityManager,
    country: GeographyImportDto['countries'][number],
    counts: ImportCounts,
  ): Promise<number> {
    const inserted = await sqlRows<{ id: number }>(
      m,
      `INSERT INTO "country" ("code", "name", "is_active", "translations") VALUES ($1, $2, coalesce($3, true), $4)
       ON CONFLICT ("code") DO NOTHING RETURNING "id"`,
      [
        country.code,
        country.name,
        country.is_active ?? null,
        country.translations ? JSON.stringify(country.translations) : null,
      ],
    );
    if (inserted.length > 0) {
      counts.created += 1;
      return inserted[0].id;
    }
    const updated = await sqlRows<{ id: number }>(
      m,
      `UPDATE "country" SET "name" = $2, "is_active" = coalesce($3, "is_active"),
              "translations" = CASE WHEN $5 THEN $4::jsonb ELSE "translations" END
        WHERE "code" = $1
          AND ("name", "is_active", "translations")
              IS DISTINCT FROM ($2, coalesce($3, "is_active"), CASE WHEN $5 THEN $4::jsonb ELSE "translations" END)
        RETURNING "id"`,
      [
        country.code,
        country.name,
        country.is_active ?? null,
        country.translations ? JSON.stringify(country.translations) : null,
        country.translations !== undefined,
      ],
    );
    counts.updated += updated.length;
    const found = await sqlRows<{ id: number }>(m, `SELECT "id" FROM "country" WHERE "code" = $1`, [country.code]);
    return found[0].id;
  }

  /** Writes one level's rows in chunks: new ones inserted, existing ones updated where they differ. */
  private async level(
    m: EntityManager,
    level: Level,
    rows: PlaceRow[],
    counts: ImportCounts,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const { table, parentColumn: parent, extra } = level;
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const chunk = JSON.stringify(rows.slice(start, start + CHUNK_ROWS));
      const recordset = `jsonb_to_recordset($1::jsonb) AS e(parent int, name text, postcode text, has_postcode boolean,
        priority int, has_priority boolean, is_active boolean, translations jsonb, has_translations boolean)`;
      const inserted = await sqlRows<{ id: number }>(
        m,
        `INSERT INTO "${table}" ("${parent}", "name", "postcode", "is_active"${extra ? ', "priority", "translations"' : ''})
         SELECT e.parent, e.name, e.postcode, coalesce(e.is_active, true)${extra ? ', e.priority, e.translations' : ''}
           FROM ${recordset}
         ON CONFLICT ("${parent}", "name") DO NOTHING RETURNING "id"`,
        [chunk],
      );
      counts.created += inserted.length;
      const next = (column: string, given: string): string =>
        `CASE WHEN e.${given} THEN e.${column} ELSE x."${column}" END`;
      const columns = ['postcode', ...(extra ? ['priority', 'translations'] : [])];
      const newValues = [...columns.map((c) => next(c, `has_${c}`)), 'coalesce(e.is_active, x."is_active")'];
      const oldValues = [...columns.map((c) => `x."${c}"`), 'x."is_active"'];
      const updated = await sqlRows<{ id: number }>(
        m,
        `UPDATE "${table}" x SET ${[...columns, 'is_active'].map((c, i) => `"${c}" = ${newValues[i]}`).join(', ')}
           FROM ${recordset}
          WHERE x."${parent}" = e.parent AND x."name" = e.name
            AND (${oldValues.join(', ')}) IS DISTINCT FROM (${newValues.join(', ')})
          RETURNING x."id"`,
        [chunk],
      );
      counts.updated += updated.length;
      const found = await sqlRows<{ id: number; parent: number; name: string }>(
        m,
        `SELECT x."id", x."${parent}" AS parent, x."name" FROM "${table}" x JOIN ${recordset}
           ON x."${parent}" = e.parent AND x."name" = e.name`,
        [chunk],
      );
      for (const f of found) ids.set(key(f.parent, f.name), f.id);
    }
    return ids;
  }
}

const key = (parent: number, name: string): string => `${parent}\u0000${name}`;

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
