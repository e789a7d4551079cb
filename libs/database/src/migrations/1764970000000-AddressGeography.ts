import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Compares place names the way people type them: case, spaces and Turkish letters aside ("Kadikoy" = "Kadıköy"). */
const folded = (column: string): string =>
  `lower(translate(btrim(${column}), 'İIıŞşĞğÜüÖöÇçÂâÎîÛû', 'iiissgguuooccaaiiuu'))`;

/** What the old free-text places read, when they cannot all be matched to geography rows. */
export const UNMATCHED_NOTE_PREFIX = 'Previous address, not found in the list of places: ';

/**
 * Addresses in the platform's shape: the places become references to the geography rows (country, city,
 * township, district), `phone` is `phone_number`, and the contract's `email`, `identity_number`, `notes`,
 * `primary` and `e_bill_taxpayer` are added. Existing free-text places are matched by name, level by level; an
 * address whose places do not all match keeps them readable in `notes`, with all four references null (the
 * checkout then asks the customer to edit it).
 */
export class AddressGeography1764970000000 implements MigrationInterface {
  name = 'AddressGeography1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "address" RENAME COLUMN "phone" TO "phone_number"`);
    await q.query(`
      ALTER TABLE "address"
        ADD "country_id" integer CONSTRAINT "address_country_fkey" REFERENCES "country" ("id") ON DELETE RESTRICT,
        ADD "city_id" integer CONSTRAINT "address_city_fkey" REFERENCES "city" ("id") ON DELETE RESTRICT,
        ADD "township_id" integer CONSTRAINT "address_township_fkey" REFERENCES "township" ("id") ON DELETE RESTRICT,
        ADD "district_id" integer CONSTRAINT "address_district_fkey" REFERENCES "district" ("id") ON DELETE RESTRICT,
        ADD "email" varchar(254) NOT NULL DEFAULT '',
        ADD "identity_number" varchar(32) NOT NULL DEFAULT '',
        ADD "notes" varchar(1000) NOT NULL DEFAULT '',
        ADD "primary" boolean NOT NULL DEFAULT false,
        ADD "e_bill_taxpayer" boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX "address_primary_uq" ON "address" ("user_id") WHERE "primary"`);

    // Level by level: a level is looked for only under the parent that matched.
    await q.query(
      `UPDATE "address" a SET "country_id" = k."id" FROM "country" k WHERE k."code" = upper(btrim(a."country"))`,
    );
    await q.query(`
      UPDATE "address" a SET "city_id" =
        (SELECT min(c."id") FROM "city" c WHERE c."country_id" = a."country_id" AND ${folded('c."name"')} = ${folded('a."city"')})
       WHERE a."country_id" IS NOT NULL AND btrim(a."city") <> ''`);
    await q.query(`
      UPDATE "address" a SET "township_id" =
        (SELECT min(t."id") FROM "township" t WHERE t."city_id" = a."city_id" AND ${folded('t."name"')} = ${folded('a."township"')})
       WHERE a."city_id" IS NOT NULL AND btrim(a."township") <> ''`);
    await q.query(`
      UPDATE "address" a SET "district_id" =
        (SELECT min(d."id") FROM "district" d WHERE d."township_id" = a."township_id" AND ${folded('d."name"')} = ${folded('a."district"')})
       WHERE a."township_id" IS NOT NULL AND btrim(a."district") <> ''`);
    // Anything typed that found no row: keep the words, drop the partial match.
    await q.query(
      `UPDATE "address" SET
         "notes" = $1 || concat_ws(', ', nullif(btrim("district"), ''), nullif(btrim("township"), ''),
                                   nullif(btrim("city"), ''), nullif(btrim("country"), '')),
         "country_id" = NULL, "city_id" = NULL, "township_id" = NULL, "district_id" = NULL
       WHERE "country_id" IS NULL
          OR ("city_id" IS NULL AND btrim("city") <> '')
          OR ("township_id" IS NULL AND btrim("township") <> '')
          OR ("district_id" IS NULL AND btrim("district") <> '')`,
      [UNMATCHED_NOTE_PREFIX],
    );
    await q.query(`ALTER TABLE "address" DROP COLUMN "country", DROP COLUMN "city", DROP COLUMN "township",
                   DROP COLUMN "district"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE "address"
        ADD "city" varchar(64) NOT NULL DEFAULT '',
        ADD "township" varchar(64) NOT NULL DEFAULT '',
        ADD "district" varchar(64) NOT NULL DEFAULT '',
        ADD "country" varchar(2) NOT NULL DEFAULT ''`);
    await q.query(`
      UPDATE "address" a SET
        "country" = coalesce((SELECT k."code" FROM "country" k WHERE k."id" = a."country_id"), ''),
        "city" = coalesce((SELECT c."name" FROM "city" c WHERE c."id" = a."city_id"), ''),
        "township" = coalesce((SELECT t."name" FROM "township" t WHERE t."id" = a."township_id"), ''),
        "district" = coalesce((SELECT d."name" FROM "district" d WHERE d."id" = a."district_id"), '')`);
    await q.query(`ALTER TABLE "address" ALTER "city" DROP DEFAULT, ALTER "township" DROP DEFAULT,
                   ALTER "district" DROP DEFAULT, ALTER "country" DROP DEFAULT`);
    await q.query(`DROP INDEX "address_primary_uq"`);
    await q.query(`
      ALTER TABLE "address" DROP COLUMN "country_id", DROP COLUMN "city_id", DROP COLUMN "township_id",
        DROP COLUMN "district_id", DROP COLUMN "email", DROP COLUMN "identity_number", DROP COLUMN "notes",
        DROP COLUMN "primary", DROP COLUMN "e_bill_taxpayer"`);
    await q.query(`ALTER TABLE "address" RENAME COLUMN "phone_number" TO "phone"`);
  }
}
