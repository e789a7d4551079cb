import type { MigrationInterface, QueryRunner } from 'typeorm';

interface DemoTownship {
  name: string;
  postcode: string;
  districts: [name: string, postcode: string][];
}

/** The demo installation's geography: a handful of Turkish cities, each with townships and districts. */
const DEMO_CITIES: { name: string; priority: number; townships: DemoTownship[] }[] = [
  {
    name: 'İstanbul',
    priority: 1,
    townships: [
      {
        name: 'Kadıköy',
        postcode: '34710',
        districts: [
          ['Caddebostan', '34728'],
          ['Moda', '34710'],
          ['Fenerbahçe', '34726'],
        ],
      },
      {
        name: 'Beşiktaş',
        postcode: '34353',
        districts: [
          ['Levent', '34330'],
          ['Bebek', '34342'],
          ['Etiler', '34337'],
        ],
      },
      {
        name: 'Üsküdar',
        postcode: '34664',
        districts: [
          ['Altunizade', '34662'],
          ['Kuzguncuk', '34674'],
        ],
      },
    ],
  },
  {
    name: 'Ankara',
    priority: 2,
    townships: [
      {
        name: 'Çankaya',
        postcode: '06690',
        districts: [
          ['Kızılay', '06420'],
          ['Bahçelievler', '06490'],
        ],
      },
      {
        name: 'Keçiören',
        postcode: '06280',
        districts: [
          ['Etlik', '06010'],
          ['Bağlum', '06230'],
        ],
      },
    ],
  },
  {
    name: 'İzmir',
    priority: 3,
    townships: [
      {
        name: 'Konak',
        postcode: '35250',
        districts: [
          ['Alsancak', '35220'],
          ['Göztepe', '35290'],
        ],
      },
      {
        name: 'Karşıyaka',
        postcode: '35530',
        districts: [
          ['Bostanlı', '35590'],
          ['Mavişehir', '35590'],
        ],
      },
    ],
  },
];

/**
 * Geography of the installation (global, superuser-managed): country > city > township > district. Rows are never
 * deleted (addresses and order snapshots refer to them), only deactivated. The demo data is added here, where the
 * demo channel and products are; run again, it adds nothing.
 */
export class Geography1764960000000 implements MigrationInterface {
  name = 'Geography1764960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "country" (
        "id" serial PRIMARY KEY,
        "code" varchar(2) NOT NULL,
        "name" varchar(64) NOT NULL,
        "is_active" boolean NOT NULL DEFAULT true,
        "translations" jsonb
      )`);
    await q.query(`CREATE UNIQUE INDEX "country_code_uq" ON "country" ("code")`);
    await q.query(`
      CREATE TABLE "city" (
        "id" serial PRIMARY KEY,
        "country_id" integer NOT NULL CONSTRAINT "city_country_fkey" REFERENCES "country" ("id") ON DELETE RESTRICT,
        "name" varchar(64) NOT NULL,
        "postcode" varchar(16),
        "priority" integer,
        "is_active" boolean NOT NULL DEFAULT true,
        "translations" jsonb,
        CONSTRAINT "city_country_name_uq" UNIQUE ("country_id", "name")
      )`);
    await q.query(`
      CREATE TABLE "township" (
        "id" serial PRIMARY KEY,
        "city_id" integer NOT NULL CONSTRAINT "township_city_fkey" REFERENCES "city" ("id") ON DELETE RESTRICT,
        "name" varchar(64) NOT NULL,
        "postcode" varchar(16),
        "is_active" boolean NOT NULL DEFAULT true,
        CONSTRAINT "township_city_name_uq" UNIQUE ("city_id", "name")
      )`);
    await q.query(`
      CREATE TABLE "district" (
        "id" serial PRIMARY KEY,
        "township_id" integer NOT NULL
          CONSTRAINT "district_township_fkey" REFERENCES "township" ("id") ON DELETE RESTRICT,
        "name" varchar(64) NOT NULL,
        "postcode" varchar(16),
        "is_active" boolean NOT NULL DEFAULT true,
        CONSTRAINT "district_township_name_uq" UNIQUE ("township_id", "name")
      )`);
    await this.seedDemo(q);
  }

  private async seedDemo(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO "country" ("code", "name", "translations") VALUES ('TR', 'Türkiye', $1)
       ON CONFLICT ("code") DO NOTHING`,
      [JSON.stringify({ tr: { name: 'Türkiye' }, en: { name: 'Türkiye' } })],
    );
    for (const city of DEMO_CITIES) {
      await q.query(
        `INSERT INTO "city" ("country_id", "name", "priority")
         SELECT "id", $1, $2 FROM "country" WHERE "code" = 'TR'
         ON CONFLICT ("country_id", "name") DO NOTHING`,
        [city.name, city.priority],
      );
      for (const township of city.townships) {
        await q.query(
          `INSERT INTO "township" ("city_id", "name", "postcode")
           SELECT c."id", $2, $3 FROM "city" c JOIN "country" k ON k."id" = c."country_id"
            WHERE k."code" = 'TR' AND c."name" = $1
           ON CONFLICT ("city_id", "name") DO NOTHING`,
          [city.name, township.name, township.postcode],
        );
        await q.query(
          `INSERT INTO "district" ("township_id", "name", "postcode")
           SELECT t."id", d."name", d."postcode"
             FROM "township" t JOIN "city" c ON c."id" = t."city_id" JOIN "country" k ON k."id" = c."country_id",
                  unnest($3::text[], $4::text[]) AS d("name", "postcode")
            WHERE k."code" = 'TR' AND c."name" = $1 AND t."name" = $2
           ON CONFLICT ("township_id", "name") DO NOTHING`,
          [city.name, township.name, township.districts.map((d) => d[0]), township.districts.map((d) => d[1])],
        );
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "district"`);
    await q.query(`DROP TABLE "township"`);
    await q.query(`DROP TABLE "city"`);
    await q.query(`DROP TABLE "country"`);
  }
}
