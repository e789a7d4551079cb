import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { runCli } from '../scripts/cli';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newStaff } from './helpers/fixtures';

const LANG = { 'Accept-Language': 'en' };
const GEO = '/api/v1/geography';

describe('geography', () => {
  let storefront: TestApp;
  let omnitron: TestApp;
  let superToken: string;
  let limitedToken: string;
  let tr: number;
  let istanbul: number;
  let kadikoy: number;

  const staff = (token: string | undefined, method: string, path: string, json?: unknown) =>
    omnitron.http.request(path, {
      method,
      json,
      headers: { ...LANG, ...(token ? { Authorization: `Token ${token}` } : {}) },
    });
  const su = (method: string, path: string, json?: unknown) => staff(superToken, method, path, json);
  const names = (page: { results: { name: string }[] }) => page.results.map((r) => r.name);
  const lookup = (path: string) => storefront.http.get(path, LANG);

  beforeAll(async () => {
    storefront = await startTestApp('storefront');
    omnitron = await startTestApp('omnitron', { databaseUrl: storefront.config.databaseUrl });
    superToken = (await newStaff(omnitron, { superuser: true })).token;
    limitedToken = (await newStaff(omnitron, { channels: [1] })).token;
  });
  afterAll(async () => {
    await omnitron?.close();
    await storefront?.close();
  });

  describe('storefront lookups', () => {
    it('list the demo country, its cities, townships and districts in the contract’s shapes, with no session', async () => {
      const countries = await lookup('/address/country/');
      expect(countries.status).toBe(200);
      expect(countries.body).toMatchObject({ count: 1, next: null, previous: null });
      const [country] = countries.body.results;
      expect(Object.keys(country).sort()).toEqual(['code', 'is_active', 'name', 'pk', 'translations']);
      expect(country).toMatchObject({ code: 'TR', name: 'Türkiye', is_active: true });
      tr = country.pk;

      const cities = await lookup(`/address/city/?country=${tr}`);
      expect(names(cities.body)).toEqual(['İstanbul', 'Ankara', 'İzmir']);
      expect(Object.keys(cities.body.results[0]).sort()).toEqual(
        ['country', 'is_active', 'name', 'pk', 'postcode', 'priority', 'translations'].sort(),
      );
      expect(cities.body.results[0]).toMatchObject({ country, priority: 1, is_active: true });
      istanbul = cities.body.results[0].pk;

      const townships = await lookup(`/address/township/?city=${istanbul}`);
      expect(names(townships.body)).toEqual(['Beşiktaş', 'Kadıköy', 'Üsküdar']);
      const township = townships.body.results.find((t: { name: string }) => t.name === 'Kadıköy');
      expect(Object.keys(township).sort()).toEqual(['city', 'is_active', 'name', 'pk', 'postcode']);
      expect(township).toMatchObject({ city: cities.body.results[0], postcode: '34710' });
      kadikoy = township.pk;

      const districts = await lookup(`/address/district/?township=${kadikoy}`);
      expect(names(districts.body)).toEqual(['Caddebostan', 'Fenerbahçe', 'Moda']);
      expect(districts.body.results[0]).toEqual({
        pk: expect.any(Number),
        name: 'Caddebostan',
        city: istanbul,
        township: kadikoy,
        postcode: '34728',
        is_active: true,
      });
      // A filter that matches nothing is an empty page, never an error.
      expect((await lookup('/address/city/?country=999999')).body).toEqual({
        count: 0,
        next: null,
        previous: null,
        results: [],
      });
    });

    it('accept retailstore__isnull (no place has a retail store here) and page', async () => {
      expect((await lookup(`/address/city/?country=${tr}&retailstore__isnull=false`)).body.count).toBe(0);
      expect((await lookup(`/address/township/?city=${istanbul}&retailstore__isnull=false`)).body.count).toBe(0);
      expect((await lookup(`/address/city/?country=${tr}&retailstore__isnull=true`)).body.count).toBe(3);
      const paged = await lookup(`/address/city/?country=${tr}&page_size=2`);
      expect(paged.body.results).toHaveLength(2);
      expect(paged.body.next).toContain('page=2');
      expect(paged.body.next).toContain(`country=${tr}`);
    });

    // Bad filters are field errors, never a 500.
    it('answer a country filter that is not an integer (abc) with a field error', async () => {
      const bad = await lookup('/address/city/?country=abc');
      expect(bad.status).toBe(400);
      expect(bad.body.field_errors).toEqual({ country: ['A valid integer is required.'] });
    });

    it('answer a retailstore__isnull that is not a boolean (maybe) with a field error', async () => {
      const retail = await lookup('/address/township/?retailstore__isnull=maybe');
      expect(retail.body.field_errors).toEqual({ retailstore__isnull: ['Must be a valid boolean.'] });
    });

    it('answer a township filter beyond int4 (99999999999) with a 400', async () => {
      expect((await lookup('/address/district/?township=99999999999')).status).toBe(400);
    });

    // page_size above the maximum is read as the maximum, as every list of the contract does.
    it('read a page_size above the maximum (1001; 5000 in the back office) as the maximum', async () => {
      const clamped = await lookup('/address/country/?page_size=1001');
      expect(clamped.status).toBe(200);
      expect(clamped.body).toMatchObject({ next: null, previous: null });
      expect(clamped.body.results.length).toBeGreaterThan(0);
      expect((await su('GET', `${GEO}/cities/?page_size=5000`)).status).toBe(200);
    });

    it('refuse a page_size of 0', async () => {
      expect((await lookup('/address/country/?page_size=0')).status).toBe(400);
    });

    it.each(['0', 'abc', '10001'])('refuse a page that is not one (page=%s) as every list does', async (page) => {
      const refused = await lookup(`/address/country/?page=${page}`);
      expect({ status: refused.status, page: refused.body.field_errors?.page }).toEqual({
        status: 400,
        page: ['Invalid page: a page number from 1 to 10000 is required.'],
      });
    });
  });

  describe('back office', () => {
    describe('is for superusers only', () => {
      it('answers 401 without a token', async () => {
        for (const path of ['countries', 'cities', 'townships', 'districts']) {
          expect((await staff(undefined, 'GET', `${GEO}/${path}/`)).status).toBe(401);
        }
      });

      it('answers 403 to channel-limited staff, reading or writing', async () => {
        for (const path of ['countries', 'cities', 'townships', 'districts']) {
          expect((await staff(limitedToken, 'GET', `${GEO}/${path}/`)).status).toBe(403);
          expect((await staff(limitedToken, 'POST', `${GEO}/${path}/`, { name: 'X' })).status).toBe(403);
        }
        expect((await staff(limitedToken, 'POST', `${GEO}/cities/1/deactivate/`, {})).status).toBe(403);
      });

      it('lets a superuser in', async () => {
        expect((await su('GET', `${GEO}/countries/`)).status).toBe(200);
      });
    });

    it('creates, changes, deactivates and reactivates places; the storefront follows', async () => {
      const country = await su('POST', `${GEO}/countries/`, {
        code: 'cy',
        name: 'Kıbrıs',
        translations: { en: { name: 'Cyprus' } },
      });
      expect(country.status).toBe(201);
      expect(country.body).toEqual({
        pk: expect.any(Number),
        code: 'CY',
        name: 'Kıbrıs',
        is_active: true,
        translations: { en: { name: 'Cyprus' } },
      });
      const city = await su('POST', `${GEO}/cities/`, { country: country.body.pk, name: 'Lefkoşa', priority: 4 });
      expect(city.body).toMatchObject({ name: 'Lefkoşa', priority: 4, postcode: null, country: { code: 'CY' } });
      const township = await su('POST', `${GEO}/townships/`, { city: city.body.pk, name: 'Merkez', postcode: '99010' });
      const district = await su('POST', `${GEO}/districts/`, { township: township.body.pk, name: 'Köşklüçiftlik' });
      expect(district.body).toMatchObject({ city: city.body.pk, township: township.body.pk, is_active: true });

      const changed = await su('PATCH', `${GEO}/districts/${district.body.pk}/`, { postcode: '99020', name: 'Kumsal' });
      expect(changed.body).toMatchObject({ name: 'Kumsal', postcode: '99020' });
      expect((await su('GET', `${GEO}/districts/${district.body.pk}/`)).body).toEqual(changed.body);
      expect(names((await lookup(`/address/district/?township=${township.body.pk}`)).body)).toEqual(['Kumsal']);

      // Deactivating a city hides it and everything under it from the storefront; the back office still lists it.
      const off = await su('POST', `${GEO}/cities/${city.body.pk}/deactivate/`, {});
      expect(off.body).toMatchObject({ pk: city.body.pk, is_active: false });
      expect((await lookup(`/address/city/?country=${country.body.pk}`)).body.count).toBe(0);
      expect((await lookup(`/address/township/?city=${city.body.pk}`)).body.count).toBe(0);
      expect((await lookup(`/address/district/?township=${township.body.pk}`)).body.count).toBe(0);
      const inactive = await su('GET', `${GEO}/cities/?country=${country.body.pk}&is_active=false`);
      expect(names(inactive.body)).toEqual(['Lefkoşa']);
      expect((await su('PATCH', `${GEO}/cities/${city.body.pk}/`, { is_active: true })).body.is_active).toBe(true);
      expect((await lookup(`/address/district/?township=${township.body.pk}`)).body.count).toBe(1);

      expect(names((await su('GET', `${GEO}/townships/?name=MERK`)).body)).toEqual(['Merkez']);

      // Names sort as Turkish does: Ç after C, İ after I, Ö after O, Ş after S, Ü after U (not all after Z).
      for (const name of ['Keçiören', 'Çankaya', 'Altındağ', 'İncirli', 'Ulus', 'Şereflikoçhisar', 'Ümitköy']) {
        expect((await su('POST', `${GEO}/districts/`, { township: township.body.pk, name })).status).toBe(201);
      }
      const turkish = ['Altındağ', 'Çankaya', 'İncirli', 'Keçiören', 'Kumsal', 'Şereflikoçhisar', 'Ulus', 'Ümitköy'];
      expect(names((await lookup(`/address/district/?township=${township.body.pk}`)).body)).toEqual(turkish);
      expect(names((await su('GET', `${GEO}/districts/?township=${township.body.pk}`)).body)).toEqual(turkish);
      expect((await su('GET', `${GEO}/countries/?code=cy`)).body.count).toBe(1);
    });

    it('takes numeric-string ids and "true"/"false" booleans, as every back-office body does', async () => {
      const city = await su('POST', `${GEO}/cities/`, {
        country: String(tr),
        name: 'Form City',
        priority: '7',
        is_active: 'false',
      });
      expect(city.status).toBe(201);
      expect(city.body).toMatchObject({ name: 'Form City', priority: 7, is_active: false, country: { pk: tr } });
      const township = await su('POST', `${GEO}/townships/`, { city: String(city.body.pk), name: 'Form Township' });
      expect(township.status).toBe(201);
      const district = await su('POST', `${GEO}/districts/`, {
        township: ` ${township.body.pk} `,
        name: 'Form District',
        is_active: 'true',
      });
      expect(district.status).toBe(201);
      expect(district.body).toMatchObject({ township: township.body.pk, is_active: true });
      const changed = await su('PATCH', `${GEO}/cities/${city.body.pk}/`, { is_active: 'true', priority: '8' });
      expect(changed.body).toMatchObject({ is_active: true, priority: 8 });
      const bad = await su('POST', `${GEO}/cities/`, { country: 'one', name: 'X', is_active: 'yes' });
      expect(bad.body.field_errors).toEqual({
        country: ['A valid integer is required.'],
        is_active: ['Must be a valid boolean.'],
      });
    });

    describe('refuses taken names and codes, moves to another parent and bad input with field errors', () => {
      it('refuses a name taken under the same parent (Ankara)', async () => {
        const taken = await su('POST', `${GEO}/cities/`, { country: 1, name: 'Ankara' });
        expect(taken.status).toBe(400);
        expect(taken.body.field_errors).toEqual({
          name: ['A place with this name already exists under the same parent.'],
        });
      });

      // The same name typed in NFD (I + combining dot above) is the stored NFC name: taken, and stored as NFC.
      it('refuses a taken name typed in NFD (İzmir), and stores a new one typed so as NFC (Iğdır)', async () => {
        const nfd = await su('POST', `${GEO}/cities/`, { country: 1, name: 'İzmir'.normalize('NFD') });
        expect(nfd.body.field_errors).toEqual({
          name: ['A place with this name already exists under the same parent.'],
        });
        const nfdNew = await su('POST', `${GEO}/cities/`, { country: 1, name: 'Iğdır'.normalize('NFD') });
        expect(nfdNew.status).toBe(201);
        expect(nfdNew.body.name).toBe('Iğdır'.normalize('NFC'));
      });

      it('refuses a taken country code (TR)', async () => {
        const code = await su('POST', `${GEO}/countries/`, { code: 'TR', name: 'Again' });
        expect(code.body.field_errors).toEqual({ code: ['A country with this code already exists.'] });
      });

      it('refuses a move to another parent', async () => {
        const move = await su('PATCH', `${GEO}/cities/1/`, { country: 2 });
        expect(move.body.field_errors).toEqual({
          country: ['A place cannot be moved to another parent; create a new one instead.'],
        });
      });

      it('refuses an unknown parent (city 999999)', async () => {
        const parent = await su('POST', `${GEO}/townships/`, { city: 999999, name: 'Nowhere' });
        expect(parent.body.field_errors).toEqual({
          city: ['Select a valid choice. That choice is not one of the available choices.'],
        });
      });

      it('refuses a country code that is not two letters, an empty name and translations not keyed by language', async () => {
        const bad = await su('POST', `${GEO}/countries/`, {
          code: 'Turkey',
          name: '',
          translations: { en: 'Turkey' },
        });
        expect(bad.body.field_errors).toEqual({
          code: ['Enter a two-letter country code, such as TR.'],
          name: ['This field is required.'],
          translations: ['Enter a name per language code, such as "en" with the name "Turkey".'],
        });
      });

      // null where a field is not nullable, and a NUL byte, are field errors (were 500s); postcode: null clears.
      it.each([
        ['countries/1', 'name'],
        ['countries/1', 'is_active'],
        ['countries/1', 'code'],
        ['cities/1', 'name'],
        ['townships/1', 'is_active'],
      ])('refuses %s with %s: null: "This field may not be null."', async (path, field) => {
        const answer = await su('PATCH', `${GEO}/${path}/`, { [field]: null });
        expect({ path, field, status: answer.status }).toEqual({ path, field, status: 400 });
        expect(answer.body.field_errors).toEqual({ [field]: ['This field may not be null.'] });
      });

      it('refuses a NUL byte in a name, on the name; the refused patches left İstanbul as it was', async () => {
        const nul = await su('PATCH', `${GEO}/cities/1/`, { name: 'İst\u0000anbul' });
        expect(nul.status).toBe(400);
        expect(Object.keys(nul.body.field_errors)).toEqual(['name']);
        expect((await su('GET', `${GEO}/cities/1/`)).body).toMatchObject({ name: 'İstanbul', is_active: true });
      });

      it('answers 404 for an unknown district, and to deactivating an unknown township', async () => {
        expect((await su('GET', `${GEO}/districts/999999/`)).status).toBe(404);
        expect((await su('POST', `${GEO}/townships/999999/deactivate/`, {})).status).toBe(404);
      });
    });
  });

  describe('import-geography', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'geography-'));
    });
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    const run = (tree: unknown) => {
      const file = join(dir, `tree-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(tree));
      return runCli(['import-geography', '--file', file], {
        ...process.env,
        DATABASE_URL: storefront.config.databaseUrl,
        LOG_LEVEL: 'silent',
      });
    };
    const counts = async () => {
      const rows: { n: string }[] = await storefront.app.get(DataSource).query(
        `SELECT (SELECT count(*) FROM country) || '/' || (SELECT count(*) FROM city) || '/' ||
                  (SELECT count(*) FROM township) || '/' || (SELECT count(*) FROM district) AS n`,
      );
      return rows[0].n;
    };

    interface Place {
      name: string;
      postcode?: string;
    }
    type Tree = {
      countries: (Place & {
        code: string;
        cities?: (Place & { priority?: number; townships?: (Place & { districts?: Place[] })[] })[];
      })[];
    };
    const TREE: Tree = {
      countries: [
        {
          code: 'az',
          name: 'Azərbaycan',
          cities: [
            {
              name: 'Bakı',
              postcode: 'AZ1000',
              townships: [
                { name: 'Səbail', postcode: 'AZ1001', districts: [{ name: 'İçərişəhər', postcode: 'AZ1001' }] },
                { name: 'Nəsimi', districts: [{ name: 'Nəsimi 1' }, { name: 'Nəsimi 2', postcode: 'AZ1010' }] },
              ],
            },
            { name: 'Gəncə', priority: 2 },
          ],
        },
        // An existing country: its demo rows are found by name, not duplicated.
        {
          code: 'TR',
          name: 'Türkiye',
          cities: [{ name: 'Ankara', townships: [{ name: 'Çankaya', districts: [{ name: 'Kızılay' }] }] }],
        },
      ],
    };

    it('imports a country’s whole tree; run twice, it creates nothing more', async () => {
      const before = await counts();
      const first = await run(TREE);
      expect(first).toContain('countries: 1 created, 0 updated');
      expect(first).toContain('cities: 2 created, 0 updated');
      expect(first).toContain('townships: 2 created, 0 updated');
      expect(first).toContain('districts: 3 created, 0 updated');
      const after = await counts();
      expect(after).not.toBe(before);
      const again = await run(TREE);
      for (const level of ['countries', 'cities', 'townships', 'districts']) {
        expect(again).toContain(`${level}: 0 created, 0 updated`);
      }
      expect(await counts()).toBe(after);

      const baku = (await lookup('/address/country/')).body.results.find((c: { code: string }) => c.code === 'AZ');
      const cities = await lookup(`/address/city/?country=${baku.pk}`);
      expect(cities.body.results.map((c: { name: string; postcode: string | null }) => [c.name, c.postcode])).toEqual([
        ['Gəncə', null],
        ['Bakı', 'AZ1000'],
      ]);
      // The demo's Kızılay kept its postcode: the file left it out.
      const kizilay = await storefront.app
        .get(DataSource)
        .query(`SELECT postcode FROM district WHERE name = 'Kızılay'`);
      expect(kizilay).toEqual([{ postcode: '06420' }]);
    });

    it('updates what the file changes and adds what is new, in one run', async () => {
      const tree = structuredClone(TREE);
      tree.countries[0].cities![0].postcode = 'AZ1005';
      tree.countries[0].cities![0].townships![1].districts!.push({ name: 'Nəsimi 3' });
      const output = await run(tree);
      expect(output).toContain('cities: 0 created, 1 updated');
      expect(output).toContain('districts: 1 created, 0 updated');
      expect(output).toContain('townships: 0 created, 0 updated');
    });

    it('matches a name sent in NFD to the stored NFC one', async () => {
      const output = await run({
        countries: [{ code: 'TR', name: 'Türkiye', cities: [{ name: 'İzmir'.normalize('NFD') }] }],
      });
      expect(output).toContain('cities: 0 created');
      const rows: { n: string }[] = await storefront.app
        .get(DataSource)
        .query(`SELECT count(*) AS n FROM city WHERE name <> normalize(name, NFC)`);
      expect(rows).toEqual([{ n: 0 }]); // int8 reads as a number (libs/database/src/int8.ts)
    });

    it('refuses a NUL byte in a name as a field error naming where it is, as a request body would be', async () => {
      const before = await counts();
      const refused = await run({ countries: [{ code: 'XY', name: 'Nul\u0000land' }] }).then(
        () => 'imported',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(refused).toContain('was not imported');
      expect(refused).toMatch(/countries\.0\.name: /);
      expect(refused).not.toMatch(/QueryFailedError|22021/);
      expect(await counts()).toBe(before);
    });

    it('changes nothing when the database refuses a row in the middle of the import (one transaction)', async () => {
      const db = storefront.app.get(DataSource);
      // A rule of this test's own database that the file's checks cannot know: the import fails after writing rows.
      await db.query(`ALTER TABLE district ADD CONSTRAINT chk_import_test CHECK (name <> 'Refused district')`);
      try {
        const before = await counts();
        const tree = {
          countries: [
            {
              code: 'QZ',
              name: 'Rollbackland',
              cities: [{ name: 'Kept?', townships: [{ name: 'T', districts: [{ name: 'Refused district' }] }] }],
            },
          ],
        };
        await expect(run(tree)).rejects.toThrow();
        expect(await counts()).toBe(before);
        expect(await db.query(`SELECT id FROM country WHERE code = 'QZ'`)).toEqual([]);
      } finally {
        await db.query('ALTER TABLE district DROP CONSTRAINT chk_import_test');
      }
    });

    it('refuses a bad file as a whole, naming where it is wrong', async () => {
      const before = await counts();
      const bad = {
        countries: [
          {
            code: 'XX',
            name: 'Nowhere',
            cities: [{ name: 'A' }, { name: 'A' }, { name: '', townships: [{ name: 'x'.repeat(65) }] }],
          },
        ],
      };
      const refused = await run(bad).then(
        () => 'imported',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      expect(refused).toContain('was not imported');
      expect(refused).toContain(
        'countries.0.cities.1.name: A place with this name already exists under the same parent.',
      );
      expect(refused).toContain('countries.0.cities.2.name: This field is required.');
      expect(refused).toContain(
        'countries.0.cities.2.townships.0.name: Ensure this field has no more than 64 characters.',
      );
      expect(await counts()).toBe(before);
    });

    it('refuses a file without countries: "countries: This field is required."', async () => {
      const before = await counts();
      await expect(run({ cities: [] })).rejects.toThrow('countries: This field is required.');
      expect(await counts()).toBe(before);
    });

    it('refuses a file that is not valid JSON', async () => {
      const file = join(dir, 'broken.json');
      writeFileSync(file, '{"countries": [');
      await expect(runCli(['import-geography', '--file', file], { DATABASE_URL: 'postgres://unused' })).rejects.toThrow(
        'is not valid JSON',
      );
    });

    it('refuses a run without --file', async () => {
      await expect(runCli(['import-geography'], {})).rejects.toThrow('--file');
    });
  });
});
