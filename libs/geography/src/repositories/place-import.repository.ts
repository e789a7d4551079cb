import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ADVISORY_LOCK_KEYS, sqlRows } from '@app/database';

/** Rows per statement: one round trip each, well within the statement timeout. */
const CHUNK_ROWS = 2_000;

export interface ImportCounts {
  created: number;
  updated: number;
}

/** A country as the import file gives it (its places below are written level by level). */
export interface ImportedCountry {
  code: string;
  name: string;
  is_active?: boolean;
  translations?: object | null;
}

/** One row to write under a parent. `has_*` says the file gave the field: a field it leaves out is kept. */
export interface ImportedPlace {
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

export type ImportLevel = keyof typeof LEVELS;

/** The key of a place under its parent, as `PlaceImportWriter.level` answers the written places' ids. */
export const placeKey = (parent: number, name: string): string => `${parent}\u0000${name}`;

/** The writes of one import, inside its transaction (PlaceImportRepository.inTransaction). */
export class PlaceImportWriter {
  constructor(private readonly m: EntityManager) {}

  /** Creates the country (found by its code) or updates it where the file differs; answers its id. */
  async country(country: ImportedCountry, counts: ImportCounts): Promise<number> {
    const translations = country.translations ? JSON.stringify(country.translations) : null;
    const inserted = await sqlRows<{ id: number }>(
      this.m,
      `INSERT INTO "country" ("code", "name", "is_active", "translations") VALUES ($1, $2, coalesce($3, true), $4)
       ON CONFLICT ("code") DO NOTHING RETURNING "id"`,
      [country.code, country.name, country.is_active ?? null, translations],
    );
    if (inserted.length > 0) {
      counts.created += 1;
      return inserted[0].id;
    }
    const updated = await sqlRows<{ id: number }>(
      this.m,
      `UPDATE "country" SET "name" = $2, "is_active" = coalesce($3, "is_active"),
              "translations" = CASE WHEN $5 THEN $4::jsonb ELSE "translations" END
        WHERE "code" = $1
          AND ("name", "is_active", "translations")
              IS DISTINCT FROM ($2, coalesce($3, "is_active"), CASE WHEN $5 THEN $4::jsonb ELSE "translations" END)
        RETURNING "id"`,
      [country.code, country.name, country.is_active ?? null, translations, country.translations !== undefined],
    );
    counts.updated += updated.length;
    const found = await sqlRows<{ id: number }>(this.m, `SELECT "id" FROM "country" WHERE "code" = $1`, [country.code]);
    return found[0].id;
  }

  /**
   * Writes one level's rows in chunks: new ones inserted, existing ones updated where they differ. Answers every
   * row's id by `placeKey(parent, name)`.
   */
  async level(which: ImportLevel, rows: ImportedPlace[], counts: ImportCounts): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    const { table, parentColumn: parent, extra } = LEVELS[which];
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const chunk = JSON.stringify(rows.slice(start, start + CHUNK_ROWS));
      const recordset = `jsonb_to_recordset($1::jsonb) AS e(parent int, name text, postcode text, has_postcode boolean,
        priority int, has_priority boolean, is_active boolean, translations jsonb, has_translations boolean)`;
      const inserted = await sqlRows<{ id: number }>(
        this.m,
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
        this.m,
        `UPDATE "${table}" x SET ${[...columns, 'is_active'].map((c, i) => `"${c}" = ${newValues[i]}`).join(', ')}
           FROM ${recordset}
          WHERE x."${parent}" = e.parent AND x."name" = e.name
            AND (${oldValues.join(', ')}) IS DISTINCT FROM (${newValues.join(', ')})
          RETURNING x."id"`,
        [chunk],
      );
      counts.updated += updated.length;
      const found = await sqlRows<{ id: number; parent: number; name: string }>(
        this.m,
        `SELECT x."id", x."${parent}" AS parent, x."name" FROM "${table}" x JOIN ${recordset}
           ON x."${parent}" = e.parent AND x."name" = e.name`,
        [chunk],
      );
      for (const f of found) ids.set(placeKey(f.parent, f.name), f.id);
    }
    return ids;
  }
}

/** The geography import's writes: one transaction, one import at a time (an advisory lock). */
@Injectable()
export class PlaceImportRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction, after any other import's: a failed import changes nothing. */
  inTransaction<T>(work: (writer: PlaceImportWriter) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCK_KEYS.geographyImport]);
      return work(new PlaceImportWriter(m));
    });
  }
}
