import { DataSource } from 'typeorm';
import { GeographyAdminService } from '@app/geography';
import { addressForm, createProduct, type StorefrontCustomer } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer } from './helpers/fixtures';

const LANG = { 'Accept-Language': 'en' };
const REQUIRED = ['This field is required.'];
const CHOICE = ['Select a valid choice. That choice is not one of the available choices.'];

/** DELETE without options: the body `{}` as text/plain, as the client sends it. */
const remove = (app: TestApp, c: StorefrontCustomer, path: string) =>
  app.http.request(path, { method: 'DELETE', raw: '{}', contentType: 'text/plain;charset=UTF-8', headers: c.headers });

describe('storefront addresses', () => {
  let app: TestApp;
  let admin: GeographyAdminService;
  /** A second country with a city, township and district, for the hierarchy rules. */
  let other: { country: number; city: number; township: number; district: number };
  /** Demo places as numbers: İstanbul > Kadıköy > Caddebostan, and Beşiktaş > Levent beside them. */
  let demo: { country: number; city: number; township: number; district: number; besiktas: number; levent: number };

  beforeAll(async () => {
    app = await startTestApp('storefront');
    admin = app.app.get(GeographyAdminService);
    const country = await admin.createCountry({ code: 'de', name: 'Deutschland' });
    const city = await admin.createCity({ country: country.pk, name: 'Berlin', postcode: '10115' });
    const township = await admin.createTownship({ city: city.pk, name: 'Mitte' });
    const district = await admin.createDistrict({ township: township.pk, name: 'Moabit', postcode: '10551' });
    other = { country: country.pk, city: city.pk, township: township.pk, district: district.pk };
    const rows: { name: string; id: number }[] = await app.app.get(DataSource).query(
      `SELECT 'country' AS name, id FROM country WHERE code = 'TR'
       UNION ALL SELECT 'city', id FROM city WHERE name = 'İstanbul'
       UNION ALL SELECT 'township', id FROM township WHERE name = 'Kadıköy'
       UNION ALL SELECT 'besiktas', id FROM township WHERE name = 'Beşiktaş'
       UNION ALL SELECT 'district', id FROM district WHERE name = 'Caddebostan'
       UNION ALL SELECT 'levent', id FROM district WHERE name = 'Levent'`,
    );
    demo = Object.fromEntries(rows.map((r) => [r.name, r.id])) as typeof demo;
  });
  afterAll(() => app.close());

  const create = async (c: StorefrontCustomer, changes: Record<string, unknown> = {}) =>
    c.json('POST', '/address/', { ...(await addressForm(c)), ...changes });

  it('creates an address from the client’s form and answers the same shape on every route', async () => {
    const c = await newCustomer(app);
    const created = await create(c, { email: 'jane@example.com', identity_number: '12345678901', notes: 'Ring twice' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: 'Home',
      phone_number: '+905551234567',
      email: 'jane@example.com',
      identity_number: '12345678901',
      notes: 'Ring twice',
      line: 'Bagdat Cd. 12/3',
      postcode: '34728',
      country: { pk: demo.country, code: 'TR', name: 'Türkiye', is_active: true },
      city: { pk: demo.city, name: 'İstanbul', country: { pk: demo.country }, priority: 1, is_active: true },
      township: { pk: demo.township, name: 'Kadıköy', city: { pk: demo.city }, postcode: '34710' },
      district: { pk: demo.district, city: demo.city, township: demo.township, postcode: '34728' },
      is_corporate: 'false',
      address_type: 'personal',
      company_name: '',
      tax_no: '',
      tax_office: '',
      e_bill_taxpayer: false,
      primary: false,
      user: { pk: c.userId },
      extra_field: {},
      remote_id: null,
      retail_store: null,
      hash_data: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const pk = created.body.pk;
    expect((await c.get(`/address/${pk}/`)).body).toEqual(created.body);
    expect((await c.get('/address/')).body).toMatchObject({ count: 1, next: null, previous: null });
    expect((await c.get('/address/')).body.results).toEqual([created.body]);
    expect((await c.get('/address/detailed/')).body.results).toEqual([created.body]);

    // pks as numbers work as well as strings; the hash changes with the content.
    const numbers = await create(c, { ...demo, country: demo.country, township: demo.besiktas, district: demo.levent });
    expect(numbers.status).toBe(201);
    expect(numbers.body.district).toMatchObject({ name: 'Levent', township: demo.besiktas });
    expect(numbers.body.hash_data).not.toBe(created.body.hash_data);
  });

  it('requires the form’s fields: first_name, phone_number (not phone), country and city', async () => {
    const c = await newCustomer(app);
    const form = await addressForm(c);
    const { phone_number: _p, country: _k, city: _c, ...rest } = form;
    const missing = await c.json('POST', '/address/', { ...rest, phone: '+905551234567', first_name: ' ' });
    expect(missing.status).toBe(400);
    expect(missing.body.field_errors).toEqual({
      first_name: REQUIRED,
      phone_number: REQUIRED,
      country: REQUIRED,
      city: REQUIRED,
    });
  });

  it('refuses a malformed phone number, e-mail and postcode, and a line of 256 characters', async () => {
    const c = await newCustomer(app);
    const bad = await create(c, { phone_number: 'call me', email: 'nope', line: 'x'.repeat(256), postcode: '34*28' });
    expect(bad.body.field_errors).toEqual({
      phone_number: ['Enter a valid phone number, such as +905551234567.'],
      email: ['Enter a valid email address.'],
      line: ['Ensure this field has no more than 255 characters.'],
      postcode: ['Enter a valid value.'],
    });
  });

  describe('refuses places that do not exist, are inactive, or do not fit the place above, on the field that does not fit', () => {
    let c: StorefrontCustomer;
    beforeAll(async () => {
      c = await newCustomer(app);
    });

    it.each<{ rule: string; changes: () => Record<string, unknown>; errors: Record<string, string[]> }>([
      {
        rule: 'refuses place pks that are not pks (city abc, township -1, district 1.5)',
        changes: () => ({ city: 'abc', township: '-1', district: '1.5' }),
        errors: { city: CHOICE, township: CHOICE, district: CHOICE },
      },
      {
        rule: 'refuses an unknown country (999999)',
        changes: () => ({ country: '999999' }),
        errors: { country: CHOICE },
      },
      {
        rule: 'refuses a city of another country, on city',
        changes: () => ({ city: String(other.city) }),
        errors: { city: ['This city is not in the selected country.'] },
      },
      {
        rule: 'refuses another township of the city without its district (Beşiktaş, Caddebostan), on district',
        changes: () => ({ township: String(demo.besiktas) }),
        errors: { district: ['This district is not in the selected township.'] },
      },
      {
        rule: 'refuses a township of another city, on township',
        changes: () => ({ township: String(other.township), district: String(other.district) }),
        errors: { township: ['This township is not in the selected city.'] },
      },
      {
        rule: 'refuses a district of another township (Levent under Kadıköy), on district',
        changes: () => ({ district: String(demo.levent) }),
        errors: { district: ['This district is not in the selected township.'] },
      },
      // Townships and districts are required where the place above has some.
      {
        rule: 'requires a township where the city has some',
        changes: () => ({ township: '', district: '' }),
        errors: { township: REQUIRED },
      },
      {
        rule: 'requires a district where the township has some (district: null)',
        changes: () => ({ district: null }),
        errors: { district: REQUIRED },
      },
    ])('$rule', async ({ changes, errors }) => {
      const refused = await create(c, changes());
      expect(refused.status).toBe(400);
      expect(refused.body.field_errors).toEqual(errors);
    });

    it('takes a city without townships alone, and refuses it once it is deactivated', async () => {
      const lonely = await admin.createCity({ country: demo.country, name: 'Bayburt' });
      const cityOnly = await create(c, { city: String(lonely.pk), township: '', district: '' });
      expect(cityOnly.status).toBe(201);
      expect(cityOnly.body).toMatchObject({ city: { name: 'Bayburt' }, township: null, district: null });
      await admin.deactivate('city', lonely.pk);
      expect((await create(c, { city: String(lonely.pk), township: '', district: '' })).body.field_errors).toEqual({
        city: CHOICE,
      });
    });
  });

  it('checks a saved address again at checkout, as its places are now: a new township below it, or a deactivated place', async () => {
    const c = await newCustomer(app);
    expect(
      (await c.json('POST', '/baskets/basket/', { product: await createProduct(app, '10.00'), quantity: 1 })).status,
    ).toBe(200);
    expect((await c.page('DeliveryOptionSelectionPage', { delivery_option: '1' })).body.errors).toBeNull();
    const choose = (pk: number) =>
      c.page('AddressSelectionPage', { shipping_address: String(pk), billing_address: String(pk) });
    const incomplete = { shipping_address: [expect.stringContaining('address')] };

    const city = await admin.createCity({ country: demo.country, name: 'Artvin' });
    const cityOnly = await create(c, { city: String(city.pk), township: '', district: '' });
    expect(cityOnly.status).toBe(201);
    expect((await choose(cityOnly.body.pk)).body.errors).toBeNull();
    // A township under the city: the address now lacks one, and cannot be delivered to as it is.
    const township = await admin.createTownship({ city: city.pk, name: 'Hopa' });
    const lacking = await choose(cityOnly.body.pk);
    expect(lacking.body.errors).toEqual(incomplete);

    const full = await create(c, { city: String(city.pk), township: String(township.pk), district: '' });
    expect(full.status).toBe(201);
    expect((await choose(full.body.pk)).body.errors).toBeNull();
    // The township deactivated: the address names a place that is no longer offered.
    await admin.deactivate('township', township.pk);
    expect((await choose(full.body.pk)).body.errors).toEqual(incomplete);
    // The city-only address is fine again: its city has no active township left.
    expect((await choose(cityOnly.body.pk)).body.errors).toBeNull();
  });

  it('requires tax_no and tax_office of a corporate address', async () => {
    const c = await newCustomer(app);
    const incomplete = await create(c, { is_corporate: 'true', type: 'corporate', company_name: 'Acme' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.body.field_errors).toEqual({ tax_no: REQUIRED, tax_office: REQUIRED });
  });

  it('keeps corporate fields for corporate addresses only', async () => {
    const c = await newCustomer(app);
    const corporate = await create(c, {
      is_corporate: 'true',
      type: 'corporate',
      company_name: 'Acme',
      tax_no: '1234567890',
      tax_office: 'Kadıköy',
      e_bill_taxpayer: 'true',
    });
    expect(corporate.status).toBe(201);
    expect(corporate.body).toMatchObject({
      is_corporate: 'true',
      address_type: 'corporate',
      company_name: 'Acme',
      tax_no: '1234567890',
      e_bill_taxpayer: true,
    });
    // Only `type` sent (a JSON client): it decides.
    const byType = await create(c, {
      is_corporate: undefined,
      type: 'corporate',
      company_name: 'A',
      tax_no: '1',
      tax_office: 'B',
    });
    expect(byType.body.address_type).toBe('corporate');

    const personal = await create(c, { company_name: 'Ignored', tax_no: '99', e_bill_taxpayer: true });
    expect(personal.body).toMatchObject({
      address_type: 'personal',
      company_name: '',
      tax_no: '',
      e_bill_taxpayer: false,
    });
    const patched = await c.json('PATCH', `/address/${corporate.body.pk}/`, {
      is_corporate: 'false',
      type: 'personal',
    });
    expect(patched.body).toMatchObject({ is_corporate: 'false', company_name: '', tax_office: '' });
  });

  it('refuses a type that does not agree with is_corporate (personal, true)', async () => {
    const c = await newCustomer(app);
    const mismatch = await create(c, { is_corporate: 'true', type: 'personal' });
    expect(mismatch.body.field_errors).toMatchObject({ type: ['The address type does not match is_corporate.'] });
  });

  it('refuses an unknown type (business) and an is_corporate that is not a boolean (maybe)', async () => {
    const c = await newCustomer(app);
    const badType = await create(c, { type: 'business', is_corporate: 'maybe' });
    expect(badType.body.field_errors).toEqual({
      type: ['Not a valid choice. Choose one of: personal, corporate.'],
      is_corporate: ['Must be a valid boolean.'],
    });
  });

  describe('answers null and NUL bytes in an address body with field errors, changing nothing', () => {
    let c: StorefrontCustomer;
    let corporate: Awaited<ReturnType<typeof create>>;
    let pk: number;
    /** Every refused PATCH leaves the address as it was. */
    const expectUnchanged = async () => {
      expect((await c.get(`/address/${pk}/`)).body).toEqual(corporate.body);
    };

    beforeAll(async () => {
      c = await newCustomer(app);
      corporate = await create(c, {
        is_corporate: undefined,
        type: 'corporate',
        company_name: 'Acme',
        tax_no: '1234567890',
        tax_office: 'Kadıköy',
      });
      pk = corporate.body.pk;
    });

    it('refuses type: null, which never changes the type', async () => {
      expect(corporate.body.address_type).toBe('corporate');
      const typeNull = await c.json('PATCH', `/address/${pk}/`, { type: null });
      expect(typeNull.status).toBe(400);
      expect(typeNull.body.field_errors).toEqual({ type: ['This field may not be null.'] });
      expect((await c.get(`/address/${pk}/`)).body).toMatchObject({ is_corporate: 'true', address_type: 'corporate' });
      await expectUnchanged();
    });

    it.each(['email', 'postcode', 'notes', 'identity_number', 'primary', 'title', 'phone_number', 'line'])(
      'refuses %s: null: "This field may not be null."',
      async (field) => {
        const answer = await c.json('PATCH', `/address/${pk}/`, { [field]: null });
        expect({ field, status: answer.status }).toEqual({ field, status: 400 });
        expect(answer.body.field_errors).toEqual({ [field]: ['This field may not be null.'] });
        await expectUnchanged();
      },
    );

    // township and district are nullable: null is "none" and is checked against the city like any value.
    it('checks district: null against the township like any value, on district', async () => {
      const noDistrict = await c.json('PATCH', `/address/${pk}/`, { district: null });
      expect(noDistrict.status).toBe(400);
      expect(Object.keys(noDistrict.body.field_errors)).toEqual(['district']);
      await expectUnchanged();
    });

    it('refuses a NUL byte in a text field (line), on that field', async () => {
      const nul = await c.json('PATCH', `/address/${pk}/`, { line: 'Bağdat\u0000Cd.' });
      expect(nul.status).toBe(400);
      expect(Object.keys(nul.body.field_errors)).toEqual(['line']);
      await expectUnchanged();
    });
  });

  it('keeps one default address per user: PATCH {primary: true} moves it, and it is listed first', async () => {
    const c = await newCustomer(app);
    const [a, b, d] = await Promise.all([create(c), create(c), create(c)]).then((rs) => rs.map((r) => r.body.pk));
    expect((await c.json('PATCH', `/address/${b}/`, { primary: true })).body.primary).toBe(true);
    // Two moves at once: one default at the end, whichever came last.
    const moves = await Promise.all([
      c.json('PATCH', `/address/${d}/`, { primary: true }),
      c.json('PATCH', `/address/${a}/`, { primary: 'true' }),
    ]);
    expect(moves.map((m) => m.status)).toEqual([200, 200]);
    const list = (await c.get('/address/')).body.results;
    expect(list.filter((x: { primary: boolean }) => x.primary)).toHaveLength(1);
    expect(list[0].primary).toBe(true);
    // The rest by pk: created at once, a, b and d need not have ascending pks.
    const rest = [a, b, d].filter((pk) => pk !== list[0].pk).sort((x, y) => x - y);
    expect(list.slice(1).map((x: { pk: number }) => x.pk)).toEqual(rest);
    const rows = await app.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM address WHERE user_id = $1 AND "primary"`, [c.userId]);
    expect(rows[0].n).toBe(1);
    const cleared = await c.json('PATCH', `/address/${list[0].pk}/`, { primary: false });
    expect(cleared.body.primary).toBe(false);
    // The default one is what checkout's address page lists first.
    await c.json('PATCH', `/address/${d}/`, { primary: true });
    expect((await c.get('/address/detailed/')).body.results[0].pk).toBe(d);
  });

  it('takes the signed-in user in a PATCH, and refuses to give an address to anyone else', async () => {
    const c = await newCustomer(app);
    const someone = await newCustomer(app);
    const pk = (await create(c)).body.pk;
    const form = await addressForm(c);
    const same = await c.json('PATCH', `/address/${pk}/`, { ...form, title: 'Office', user: String(c.userId) });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ title: 'Office', user: { pk: c.userId } });
    expect((await c.json('PATCH', `/address/${pk}/`, { user: c.userId })).status).toBe(200);
    const given = await c.json('PATCH', `/address/${pk}/`, { title: 'Gift', user: someone.userId });
    expect(given.status).toBe(400);
    expect(given.body.field_errors).toEqual({
      user: ['An address belongs to the signed-in user and cannot be given to another user.'],
    });
    expect((await c.get(`/address/${pk}/`)).body).toMatchObject({ title: 'Office', user: { pk: c.userId } });
    expect((await someone.get('/address/')).body.count).toBe(0);
  });

  it('patches only what is sent and checks the places against the stored ones', async () => {
    const c = await newCustomer(app);
    const created = (await create(c)).body;
    const title = await c.json('PATCH', `/address/${created.pk}/`, { title: 'Mum' });
    expect(title.body).toMatchObject({ title: 'Mum', district: { pk: demo.district }, phone_number: '+905551234567' });
    // A new township alone no longer holds the stored district: the district is the field that does not fit.
    const township = await c.json('PATCH', `/address/${created.pk}/`, { township: String(demo.besiktas) });
    expect(township.body.field_errors).toEqual({ district: ['This district is not in the selected township.'] });
    const both = await c.json('PATCH', `/address/${created.pk}/`, {
      township: String(demo.besiktas),
      district: String(demo.levent),
    });
    expect(both.body).toMatchObject({ township: { name: 'Beşiktaş' }, district: { name: 'Levent' } });

    // PUT replaces the whole address: optional fields not sent are blanked.
    const form = await addressForm(c);
    const replaced = await c.json('PUT', `/address/${created.pk}/`, {
      ...form,
      title: 'New home',
      postcode: undefined,
    });
    expect(replaced.body).toMatchObject({ title: 'New home', postcode: '', township: { pk: demo.township } });
  });

  it('answers another user’s address as not found: GET, PATCH and DELETE are 404', async () => {
    const owner = await newCustomer(app);
    const pk = (await create(owner)).body.pk;
    const other = await newCustomer(app);
    expect((await other.get(`/address/${pk}/`)).status).toBe(404);
    expect((await other.json('PATCH', `/address/${pk}/`, { title: 'Mine' })).status).toBe(404);
    expect((await remove(app, other, `/address/${pk}/`)).status).toBe(404);
    expect((await owner.get(`/address/${pk}/`)).status).toBe(200);
  });

  it('answers a pk that is not a number (abc) or beyond the column (99999999999) as not found', async () => {
    const other = await newCustomer(app);
    // A pk that is not a number names no address, as one beyond the column does (issue 18).
    expect((await other.get('/address/abc/')).status).toBe(404);
    expect((await other.get('/address/99999999999/')).status).toBe(404);
  });

  it('answers 401 to the address list and the detailed list without a signed-in user', async () => {
    expect((await app.http.get('/address/', LANG)).status).toBe(401);
    expect((await app.http.get('/address/detailed/', LANG)).status).toBe(401);
  });

  it('deletes an address of its owner: 204, then 404', async () => {
    const owner = await newCustomer(app);
    const pk = (await create(owner)).body.pk;
    expect((await remove(app, owner, `/address/${pk}/`)).status).toBe(204);
    expect((await owner.get(`/address/${pk}/`)).status).toBe(404);
  });

  it('refuses a 51st address, concurrent creates included: "You can save at most 50 addresses."', async () => {
    const owner = await newCustomer(app);
    // Concurrent creates cannot pass the cap: 52 at once, exactly 50 are saved.
    const form = await addressForm(owner);
    const results = await Promise.all(Array.from({ length: 52 }, () => owner.json('POST', '/address/', form)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    const fiftyFirst = await owner.json('POST', '/address/', form);
    expect(fiftyFirst.status).toBe(400);
    expect(fiftyFirst.body.field_errors).toEqual({ non_field_errors: ['You can save at most 50 addresses.'] });
  });
});
