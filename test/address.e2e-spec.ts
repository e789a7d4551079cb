import { csrfToken, register } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';

const LANG = { 'Accept-Language': 'en' };

const HOME = {
  title: 'Home',
  first_name: 'Jane',
  last_name: 'Doe',
  line: 'Bagdat Cd. 12/3',
  city: 'Istanbul',
  township: 'Kadikoy',
  district: 'Caddebostan',
  postcode: '34728',
  phone: '+905551234567',
  country: 'tr',
};

/** A signed-in customer with the CSRF pair, as the storefront's proxy sends it. */
async function customer(app: TestApp) {
  const { session } = await register(app.http);
  const token = await csrfToken(app.http);
  const headers = { ...LANG, Cookie: `osessionid=${session}; csrftoken=${token}`, 'X-CSRFToken': token };
  return {
    get: (path: string) => app.http.get(path, headers),
    send: (path: string, method: string, json: unknown) => app.http.request(path, { method, json, headers }),
    /** DELETE without options: the body `{}` as text/plain. */
    remove: (path: string) =>
      app.http.request(path, { method: 'DELETE', raw: '{}', contentType: 'text/plain;charset=UTF-8', headers }),
  };
}

describe('storefront addresses', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront');
  });
  afterAll(() => app.close());

  it('creates, lists, reads, patches, replaces and deletes the user’s addresses', async () => {
    const me = await customer(app);
    const created = await me.send('/address/', 'POST', HOME);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pk: expect.any(Number),
      ...HOME,
      country: 'TR',
      is_corporate: false,
      company_name: '',
      tax_office: '',
      tax_no: '',
    });
    const pk = created.body.pk;

    const list = await me.get('/address/');
    expect(list.body).toMatchObject({ count: 1, next: null, previous: null, results: [{ pk, title: 'Home' }] });
    const detailed = await me.get('/address/detailed/');
    expect(detailed.body.results[0]).toMatchObject({
      pk,
      country: { code: 'TR' },
      city: { name: 'Istanbul' },
      township: { name: 'Kadikoy' },
      district: { name: 'Caddebostan' },
    });
    expect((await me.get(`/address/${pk}/`)).body).toEqual(created.body);

    const patched = await me.send(`/address/${pk}/`, 'PATCH', { title: 'Office', is_corporate: true, tax_no: '123' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Office', is_corporate: true, tax_no: '123', city: 'Istanbul' });

    const { township: _t, district: _d, ...withoutPlaces } = HOME;
    const replaced = await me.send(`/address/${pk}/`, 'PUT', { ...withoutPlaces, title: 'New home' });
    expect(replaced.body).toMatchObject({
      title: 'New home',
      township: '',
      district: '',
      is_corporate: false,
      tax_no: '',
    });
    expect((await me.get('/address/detailed/')).body.results[0]).toMatchObject({ township: null, district: null });

    const deleted = await me.remove(`/address/${pk}/`);
    expect(deleted.status).toBe(204);
    expect((await me.get(`/address/${pk}/`)).status).toBe(404);
    expect((await me.get('/address/')).body.count).toBe(0);
  });

  it('answers another user’s address as not found and needs a signed-in user', async () => {
    const owner = await customer(app);
    const pk = (await owner.send('/address/', 'POST', HOME)).body.pk;
    const other = await customer(app);
    expect((await other.get(`/address/${pk}/`)).status).toBe(404);
    expect((await other.send(`/address/${pk}/`, 'PATCH', { title: 'Mine' })).status).toBe(404);
    expect((await other.remove(`/address/${pk}/`)).status).toBe(404);
    expect((await other.get('/address/detailed/')).body.count).toBe(0);
    expect((await owner.get(`/address/${pk}/`)).body.title).toBe('Home');
    expect((await other.get('/address/abc/')).status).toBe(400);
    expect((await other.get('/address/99999999999/')).status).toBe(404);
    expect((await app.http.get('/address/', LANG)).status).toBe(401);
    expect((await app.http.get('/address/detailed/', LANG)).status).toBe(401);
  });

  it('validates fields with limits and caps the number of addresses', async () => {
    const me = await customer(app);
    const missing = await me.send('/address/', 'POST', { ...HOME, first_name: '  ' });
    expect(missing.status).toBe(400);
    expect(missing.body.field_errors).toEqual({ first_name: ['This field is required.'] });
    const long = await me.send('/address/', 'POST', { ...HOME, line: 'x'.repeat(256) });
    expect(long.body.field_errors).toEqual({ line: ['Ensure this field has no more than 255 characters.'] });
    const country = await me.send('/address/', 'POST', { ...HOME, country: 'Turkey' });
    expect(country.body.field_errors).toEqual({ country: ['Enter a two-letter country code, such as TR.'] });
    const phone = await me.send('/address/', 'POST', { ...HOME, phone: 'call me' });
    expect(phone.status).toBe(400);
    expect((await me.send('/address/', 'POST', { ...HOME, township: 7 })).status).toBe(400);

    // Concurrent creates cannot pass the cap: 52 at once, exactly 50 are saved.
    const results = await Promise.all(Array.from({ length: 52 }, () => me.send('/address/', 'POST', HOME)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    expect((await me.get('/address/?page_size=100')).body.count).toBe(50);
    const fiftyFirst = await me.send('/address/', 'POST', HOME);
    expect(fiftyFirst.status).toBe(400);
    expect(fiftyFirst.body.field_errors).toEqual({ non_field_errors: ['You can save at most 50 addresses.'] });
  });
});
