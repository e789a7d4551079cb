import { startTestApp, type TestApp } from './helpers/test-app';
import { newChannel, newStaff } from './helpers/fixtures';

const LANG = { 'Accept-Language': 'en' };

describe('back-office catalogue', () => {
  let omnitron: TestApp;
  let token: string;
  let otherChannelId: number;
  let skuCounter = 0;
  const sku = () => `SKU-${process.pid}-${++skuCounter}`;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    otherChannelId = (await newChannel(omnitron)).id;
    token = (await newStaff(omnitron, { channels: [1] })).token;
  });
  afterAll(() => omnitron.close());

  const call = (path: string, method = 'GET', json?: unknown, channel: number = 1) =>
    omnitron.http.request(`/api/v1/remote/${channel}/products/${path}`, {
      method,
      json,
      headers: { ...LANG, Authorization: `Token ${token}` },
    });

  it('lists the seeded demo products of channel 1 with their prices as strings', async () => {
    const response = await call('?sku=DEMO-TSHIRT');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      count: 1,
      next: null,
      results: [
        {
          sku: 'DEMO-TSHIRT',
          stock: 100,
          active: true,
          prices: [
            { currency: 'eur', amount: '11.00' },
            { currency: 'try', amount: '250.00' },
            { currency: 'usd', amount: '12.50' },
          ],
        },
      ],
    });
  });

  it('creates, reads and changes a product; prices replace the old ones', async () => {
    const code = sku();
    const created = await call('', 'POST', {
      sku: code,
      name: 'Blue mug',
      prices: [{ currency: 'TRY', amount: '19.9' }],
      stock: 3,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pk: expect.any(Number),
      sku: code,
      name: 'Blue mug',
      prices: [{ currency: 'try', amount: '19.90' }],
      stock: 3,
      active: true,
    });
    const pk = created.body.pk;
    expect((await call(`${pk}/`)).body).toEqual(created.body);

    const changed = await call(`${pk}/`, 'PATCH', {
      stock: 0,
      active: false,
      prices: [{ currency: 'usd', amount: 2 }],
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      sku: code,
      stock: 0,
      active: false,
      prices: [{ currency: 'usd', amount: '2.00' }],
    });
  });

  describe('refuses a product it cannot keep', () => {
    const base = () => ({ sku: sku(), name: 'Thing', prices: [{ currency: 'try', amount: '1.00' }], stock: 1 });

    it('refuses a SKU the channel has already: "A product with this SKU already exists in this channel."', async () => {
      const product = base();
      expect((await call('', 'POST', product)).status).toBe(201);
      const taken = await call('', 'POST', product);
      expect(taken.status).toBe(400);
      expect(taken.body.field_errors).toEqual({ sku: ['A product with this SKU already exists in this channel.'] });
    });

    it('refuses a price in a currency the channel does not sell (gbp)', async () => {
      const gbp = await call('', 'POST', { ...base(), prices: [{ currency: 'gbp', amount: '1.00' }] });
      expect(gbp.body.field_errors).toEqual({ prices: ['The channel does not sell in this currency: gbp.'] });
    });

    it('refuses two prices in one currency (try 1.00 and TRY 2.00)', async () => {
      const twice = await call('', 'POST', {
        ...base(),
        prices: [
          { currency: 'try', amount: '1.00' },
          { currency: 'TRY', amount: '2.00' },
        ],
      });
      expect(twice.body.field_errors).toEqual({ prices: ['Each currency may have one price only.'] });
    });

    it('refuses an amount with three decimals (1.001)', async () => {
      const decimals = await call('', 'POST', { ...base(), prices: [{ currency: 'try', amount: '1.001' }] });
      expect(decimals.status).toBe(400);
      expect(decimals.body.field_errors['prices.0.amount']).toEqual([
        'Ensure that there are no more than 2 decimal places.',
      ]);
    });

    it('refuses an amount too large for a price (1000000000.01)', async () => {
      const huge = await call('', 'POST', { ...base(), prices: [{ currency: 'try', amount: '1000000000.01' }] });
      expect(huge.status).toBe(400);
    });

    it('refuses a negative stock (-1)', async () => {
      const negative = await call('', 'POST', { ...base(), stock: -1 });
      expect(negative.body.field_errors).toEqual({ stock: ['Ensure this value is greater than or equal to 0.'] });
    });

    it('refuses a SKU of 65 characters', async () => {
      const longSku = await call('', 'POST', { ...base(), sku: 'x'.repeat(65) });
      expect(longSku.status).toBe(400);
    });
  });

  it('refuses a PATCH to another product’s SKU, keeping the product', async () => {
    const base = { name: 'Thing', prices: [{ currency: 'try', amount: '1.00' }], stock: 1 };
    const first = await call('', 'POST', { ...base, sku: sku() });
    const second = await call('', 'POST', { ...base, sku: sku() });
    const clash = await call(`${second.body.pk}/`, 'PATCH', { sku: first.body.sku, stock: 9 });
    expect(clash.status).toBe(400);
    expect(clash.body.field_errors).toEqual({ sku: ['A product with this SKU already exists in this channel.'] });
    expect((await call(`${second.body.pk}/`)).body).toEqual(second.body);
    // Its own SKU again is no clash.
    expect((await call(`${second.body.pk}/`, 'PATCH', { sku: second.body.sku, stock: 9 })).body.stock).toBe(9);
  });

  it('answers 404 to a PATCH of a product that is not there', async () => {
    expect((await call('999999/', 'PATCH', { stock: 1 })).status).toBe(404);
  });

  it('answers 403 for a product of channel 1 asked for through a channel the staff user may not use', async () => {
    const created = await call('', 'POST', {
      sku: sku(),
      name: 'Mine',
      prices: [{ currency: 'try', amount: '5.00' }],
      stock: 1,
    });
    expect((await call(`${created.body.pk}/`, 'GET', undefined, otherChannelId)).status).toBe(403);
  });

  it('answers 404 for a product that is not there', async () => {
    expect((await call('999999/')).status).toBe(404);
  });

  it('answers 401 without a staff token', async () => {
    const anonymous = await omnitron.http.get('/api/v1/remote/1/products/', LANG);
    expect(anonymous.status).toBe(401);
  });
});
