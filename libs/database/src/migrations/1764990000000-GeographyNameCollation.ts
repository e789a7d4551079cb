import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['country', 'city', 'township', 'district'] as const;

/**
 * Place names sort as Turkish does (Altındağ, Çankaya, İncirli, Keçiören): the database's own collation (C.UTF-8
 * on the servers) puts Ç, İ, Ö, Ş and Ü after Z. The name columns take PostgreSQL's ICU collation `tr-x-icu`, so
 * every `ORDER BY name` (lookups, back office) and the name indexes follow it with no change to the queries. The
 * entities declare the same collation, so a server without ICU (rare: PostgreSQL's packages and the embedded server
 * are built with it) is refused here with a clear message rather than left with a schema the entities disagree with.
 */
export class GeographyNameCollation1764990000000 implements MigrationInterface {
  name = 'GeographyNameCollation1764990000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ icu }] = (await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'tr-x-icu' AND collprovider = 'i') AS icu`,
    )) as { icu: boolean }[];
    if (!icu) {
      throw new Error('PostgreSQL has no ICU collation "tr-x-icu": use a server built with ICU (--with-icu)');
    }
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
