import { CheckoutSources } from '../libs/checkout/src/checkout-pages/checkout-snapshot';
import { DynamicSettingsService } from '@app/settings';
import { createProduct, type StorefrontCustomer } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

/**
 * Issue 16: the platform's storefront client (`@akinon/next`) fills its address form from the geography lookups
 * and posts the pks as strings, `phone_number`, `is_corporate: "false"` and `type: "personal"`; then it auto-posts
 * the checkout steps from what each answer lacks, sometimes two at once. This is that client's sequence of calls.
 */
const CH = 1;
const CHECKOUT = '/orders/checkout/';

const ADDRESS_KEYS = [
  'pk',
  'title',
  'first_name',
  'last_name',
  'phone_number',
  'email',
  'line',
  'postcode',
  'country',
  'city',
  'township',
  'district',
  'is_corporate',
  'address_type',
  'company_name',
  'tax_no',
  'tax_office',
  'e_bill_taxpayer',
  'identity_number',
  'primary',
  'user',
  'notes',
  'extra_field',
  'remote_id',
  'retail_store',
  'hash_data',
];

/** The first result of a lookup whose name is `name`: the client's select boxes. */
async function pick(c: StorefrontCustomer, path: string, name: string): Promise<{ pk: number }> {
  const page = await c.get(path);
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ count: expect.any(Number), next: null, previous: null });
  const found = page.body.results.find((r: { name: string }) => r.name === name);
  if (!found) throw new Error(`${name} not in ${path}: ${page.text}`);
  return found;
}

describe('the storefront client’s address form and store-credit checkout', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront');
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => app.close());

  it('saves the form’s address and completes the checkout with the posts the client sends', async () => {
    const c = await newCustomer(app);
    await fundedAccount(app, { owner: c, balance: '500.00', debitAllowed: true });

    const country = await pick(c, '/address/country/', 'Türkiye');
    const city = await pick(c, `/address/city/?country=${country.pk}`, 'İstanbul');
    const township = await pick(c, `/address/township/?city=${city.pk}`, 'Kadıköy');
    const district = await pick(c, `/address/district/?township=${township.pk}`, 'Caddebostan');

    const created = await c.json('POST', '/address/', {
      type: 'personal',
      is_corporate: 'false',
      title: 'Home',
      first_name: 'Jane',
      last_name: 'Doe',
      phone_number: '05551234567',
      country: String(country.pk),
      city: String(city.pk),
      township: String(township.pk),
      district: String(district.pk),
      line: 'Bağdat Cd. 12/3',
      postcode: '34728',
      country_code: 'tr',
    });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(expect.arrayContaining([...ADDRESS_KEYS].sort()));
    expect(created.body).toMatchObject({
      phone_number: '05551234567',
      is_corporate: 'false',
      address_type: 'personal',
      country: { pk: country.pk, code: 'TR', name: 'Türkiye' },
      city: { pk: city.pk, name: 'İstanbul', country: { pk: country.pk } },
      township: { pk: township.pk, name: 'Kadıköy', city: { pk: city.pk } },
      district: { pk: district.pk, name: 'Caddebostan', city: city.pk, township: township.pk },
      user: { pk: c.userId },
    });

    const product = await createProduct(app, '120.00');
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 2 })).status).toBe(200);

    // The client reads the state, then auto-posts each missing step from what the answer holds.
    const start = await c.get(CHECKOUT);
    expect(start.body.errors).toBeNull();
    const delivery = start.body.context_list[0].page_context.delivery_options.find(
      (o: { delivery_option_type: string }) => o.delivery_option_type === 'customer',
    );
    const afterDelivery = await c.page('DeliveryOptionSelectionPage', { delivery_option: String(delivery.pk) });
    expect(afterDelivery.body.errors).toBeNull();
    const addresses = afterDelivery.body.context_list[0].page_context.addresses;
    expect(addresses[0]).toMatchObject({ pk: created.body.pk, phone_number: '05551234567' });

    // Two auto-posts of the same step arriving together: both succeed.
    const form = { shipping_address: String(addresses[0].pk), billing_address: String(addresses[0].pk) };
    const both = await Promise.all([c.page('AddressSelectionPage', form), c.page('AddressSelectionPage', form)]);
    for (const answer of both) {
      expect(answer.body.errors).toBeNull();
      expect(answer.body.pre_order.shipping_address).toMatchObject({
        pk: created.body.pk,
        district: { pk: district.pk },
      });
    }
    const shipping = both[0].body.context_list[0].page_context.shipping_options[0];
    const shipped = await Promise.all([
      c.page('ShippingOptionSelectionPage', { shipping_option: String(shipping.pk) }),
      c.page('ShippingOptionSelectionPage', { shipping_option: String(shipping.pk) }),
    ]);
    for (const answer of shipped) expect(answer.body.errors).toBeNull();
    expect(shipped[0].body.pre_order.billing_address).toEqual(shipped[0].body.pre_order.shipping_address);
    expect(Object.keys(shipped[0].body.pre_order.billing_address)).toEqual(expect.arrayContaining(ADDRESS_KEYS));

    // pre_order reads the chosen addresses (with the page's other reads): a database outage there answers 503,
    // never an address quietly null.
    const outage = jest
      .spyOn(app.app.get(CheckoutSources, { strict: false }), 'readPage')
      .mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    try {
      const unavailable = await c.get(CHECKOUT);
      expect(unavailable.status).toBe(503);
    } finally {
      outage.mockRestore();
    }
    expect((await c.get(CHECKOUT)).body.pre_order.shipping_address).toMatchObject({ pk: created.body.pk });

    const usage = await c.get(`${CHECKOUT}?page=LoyaltyMoneyUsagePage`);
    expect(usage.body.context_list[0].page_context.balance).toBe('500.00');
    const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '240.00' });
    expect(used.body).toMatchObject({ errors: null, pre_order: { unpaid_amount: '0.00', loyalty_money: '240.00' } });
    const options = shipped[0].body.context_list[0].page_context.payment_options;
    const loyalty = options.find((o: { payment_type: string }) => o.payment_type === 'loyalty_money');
    expect((await c.page('PaymentOptionSelectionPage', { payment_option: String(loyalty.pk) })).body.errors).toBeNull();
    const placed = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(placed.body.errors).toBeNull();
    const { redirect_url: redirect, token } = placed.body.context_list[0].page_context;
    expect(redirect).toBe(`/orders/completed/${token}/`);

    // The customer edits the address after the order: the order keeps it as it was when it was placed.
    const edited = await c.json('PATCH', `/address/${created.body.pk}/`, { line: 'Moda Cd. 1' });
    expect(edited.status).toBe(200);
    expect(edited.body.line).toBe('Moda Cd. 1');
    const order = await c.get(`${redirect}?format=json`);
    expect(order.status).toBe(200);
    expect(order.body.order).toMatchObject({ amount: '240.00', status: 'completed' });
    // The order keeps the addresses as they were, in the same shape.
    expect(order.body.order.shipping_address).toMatchObject({
      pk: created.body.pk,
      line: 'Bağdat Cd. 12/3',
      city: { name: 'İstanbul' },
      district: { name: 'Caddebostan' },
      is_corporate: 'false',
      address_type: 'personal',
    });
    expect(order.body.order.billing_address).toEqual(order.body.order.shipping_address);
  });
});
