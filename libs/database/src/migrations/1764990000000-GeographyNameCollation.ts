import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['country', 'city', 'township', 'district'] as const;

/**
 * Place names sort as Turkish does (Altındağ, Çankaya, İncirli, Keçiören): the database's own collation (C.UTF-8
 * on the servers) puts Ç, İ, Ö, Ş and Ü after Z. The name columns take PostgreSQL's ICU collation `tr-x-icu`, so
 * every `ORDER BY name` (lookups, back office) and the name indexes follow it with no change to the queries. A
 * server built without ICU has no such collation: the columns keep the database's collation there (byte order).
 */
export class GeographyNameCollation1764990000000 implements MigrationInterface {
  name = 'GeographyNameCollation1764990000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ icu }] = (await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'tr-x-icu' AND collprovider = 'i') AS icu`,
    )) as { icu: boolean }[];
    if (!icu) return;
    for (const table of TABLES) {
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "name" TYPE varchar(64) COLLATE "tr-x-icu"`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE "${table}" ALTER COLUMN "name" TYPE varchar(64) COLLATE "default"`);
    }
  }
}
