import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@app/database';
import { DynamicSettingsService } from '@app/settings';
import {
  AddressGeography1764970000000,
  UNMATCHED_NOTE_PREFIX,
} from '../libs/database/src/migrations/1764970000000-AddressGeography';
import { createTestDatabase } from './helpers/database';
import { addressForm, createProduct } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer } from './helpers/fixtures';

const INCOMPLETE =
  'This address has no country, city, township or district from the list. Please edit the address and choose them.';

describe('migration AddressGeography', () => {
  it('matches free-text places to geography rows by name, and keeps what does not match readable in notes', async () => {
    const dataSource = await new DataSource(
      dataSourceOptions({ url: await createTestDatabase(), poolSize: 2, statementTimeoutMs: 60_000 }),
    ).initialize();
    const migration = new AddressGeography1764970000000();
    const q = dataSource.createQueryRunner();
    try {
      await migration.down(q);
      const [{ id: userId }] = await q.query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, 'm', 'm@example.com', 'm@example.com', 'x', now(), now()) RETURNING id`,
      );
      const places: [string, string, string, string][] = [
        ['tr', 'Istanbul', 'Kadikoy', 'Caddebostan'], // typed without Turkish letters
        ['TR', ' İSTANBUL ', 'kadıköy', 'MODA'],
        ['TR', 'Istanbul', 'Kadikoy', 'Nowhere'], // the district is not in the list
        ['DE', 'Berlin', 'Mitte', ''], // no such country
        ['TR', 'Ankara', '', ''], // nothing typed below the city
      ];
      for (const [country, city, township, district] of places) {
        await q.query(
          `INSERT INTO address (channel_id, user_id, title, first_name, last_name, line, city, township, district,
             postcode, phone, country, is_corporate, company_name, tax_office, tax_no)
           VALUES (1, $1, 'Home', 'Jane', 'Doe', 'Line 1', $2, $3, $4, '34000', '+905551234567', $5, false, '', '', '')`,
          [userId, city, township, district, country],
        );
      }
      await migration.up(q);
      const rows = await q.query(
        `SELECT k.code, c.name AS city, t.name AS township, d.name AS district, a.notes, a.phone_number
           FROM address a LEFT JOIN country k ON k.id = a.country_id LEFT JOIN city c ON c.id = a.city_id
           LEFT JOIN township t ON t.id = a.township_id LEFT JOIN district d ON d.id = a.district_id ORDER BY a.id`,
      );
      const phone_number = '+905551234567';
      expect(rows).toEqual([
        { code: 'TR', city: 'İstanbul', township: 'Kadıköy', district: 'Caddebostan', notes: '', phone_number },
        { code: 'TR', city: 'İstanbul', township: 'Kadıköy', district: 'Moda', notes: '', phone_number },
        {
          code: null,
          city: null,
          township: null,
          district: null,
          notes: `${UNMATCHED_NOTE_PREFIX}Nowhere, Kadikoy, Istanbul, TR`,
          phone_number,
        },
        {
          code: null,
          city: null,
          township: null,
          district: null,
          notes: `${UNMATCHED_NOTE_PREFIX}Mitte, Berlin, DE`,
          phone_number,
        },
        { code: 'TR', city: 'Ankara', township: null, district: null, notes: '', phone_number },
      ]);
    } finally {
      await q.release();
      await dataSource.destroy();
    }
  });
});

describe('checkout with an address the migration could not match', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront');
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => app.close());

  it('shows the address with its old places in notes and refuses it with a field error asking to edit it', async () => {
    const c = await newCustomer(app);
    const [{ id }] = await app.app.get(DataSource).query(
      `INSERT INTO address (channel_id, user_id, title, first_name, last_name, line, postcode, phone_number, notes,
         is_corporate, company_name, tax_office, tax_no)
       VALUES (1, $1, 'Old', 'Jane', 'Doe', 'Line 1', '34000', '+905551234567', $2, false, '', '', '')
       RETURNING id`,
      [c.userId, `${UNMATCHED_NOTE_PREFIX}Nowhere, Kadikoy, Istanbul, TR`],
    );
    const listed = (await c.get('/address/')).body.results;
    expect(listed).toEqual([
      expect.objectContaining({
        pk: id,
        country: null,
        city: null,
        township: null,
        district: null,
        notes: `${UNMATCHED_NOTE_PREFIX}Nowhere, Kadikoy, Istanbul, TR`,
      }),
    ]);
    expect(
      (await c.json('POST', '/baskets/basket/', { product: await createProduct(app, '10.00'), quantity: 1 })).status,
    ).toBe(200);
    expect((await c.page('DeliveryOptionSelectionPage', { delivery_option: '1' })).body.errors).toBeNull();
    const refused = await c.page('AddressSelectionPage', { shipping_address: String(id), billing_address: String(id) });
    expect(refused.status).toBe(200);
    expect(refused.body.errors).toEqual({ shipping_address: [INCOMPLETE] });
    expect(refused.body.pre_order.shipping_address).toBeNull();
    const turkish = await app.http.request('/orders/checkout/?page=AddressSelectionPage', {
      method: 'POST',
      form: { shipping_address: String(id), billing_address: String(id) },
      headers: { ...c.headers, 'Accept-Language': 'tr' },
    });
    expect(turkish.body.errors.shipping_address[0]).toContain('adresi düzenleyip');

    // Once edited with places from the list, the same address goes through.
    const { title: _t, ...places } = await addressForm(c);
    expect((await c.json('PATCH', `/address/${id}/`, places)).status).toBe(200);
    const accepted = await c.page('AddressSelectionPage', {
      shipping_address: String(id),
      billing_address: String(id),
    });
    expect(accepted.body.errors).toBeNull();
    expect(accepted.body.pre_order.shipping_address).toMatchObject({ pk: id, city: { name: 'İstanbul' } });
  });
});
