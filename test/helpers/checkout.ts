import { DataSource } from 'typeorm';
import { ChannelService } from '@app/identity';
import { ProductService } from '@app/checkout';
import type { TestApp } from './test-app';

const CHECKOUT = '/orders/checkout/';
let counter = 0;

/** A product of channel 1 priced in TRY. */
export async function createProduct(app: TestApp, price: string, stock = 50, active = true): Promise<number> {
  const channel = await app.app.get(ChannelService).find(1);
  const created = await app.app.get(ProductService).create(channel!, {
    sku: `T-${process.pid}-${++counter}`,
    name: 'Test product',
    prices: [{ currency: 'try', amount: price }],
    stock,
    active,
  });
  return created.pk;
}

/**
 * A signed-in customer of channel 1 as the storefront's proxy drives it: session cookie, CSRF pair, form posts.
 * Tests get a new one from `newCustomer` (fixtures.ts); this wraps a session a test signed in itself.
 */
export function customerSession(
  app: TestApp,
  signedIn: { session: string; token: string; userId: number; email: string },
) {
  const headers = {
    'Accept-Language': 'en',
    Cookie: `osessionid=${signedIn.session}; csrftoken=${signedIn.token}`,
    'X-CSRFToken': signedIn.token,
  };
  return {
    email: signedIn.email,
    userId: signedIn.userId,
    headers,
    get: (path: string) => app.http.get(path, headers),
    json: (method: string, path: string, json: unknown) => app.http.request(path, { method, json, headers }),
    page: (page: string, form?: Record<string, string>) =>
      form === undefined
        ? app.http.get(`${CHECKOUT}?page=${page}`, headers)
        : app.http.request(`${CHECKOUT}?page=${page}`, { method: 'POST', form, headers }),
  };
}

export type StorefrontCustomer = ReturnType<typeof customerSession>;

/** The demo geography's pks (the same in every test database: all are copies of one migrated template). */
let demoPlaces: Promise<Record<'country' | 'city' | 'township' | 'district', string>> | undefined;

/** A place's pk by name from a storefront lookup, as the client's select boxes find it. */
async function lookup(c: StorefrontCustomer, path: string, name: string): Promise<string> {
  const page = await c.get(path);
  const found = page.body?.results?.find((r: { name: string }) => r.name === name);
  if (!found) throw new Error(`${name} not in ${path}: ${page.status} ${page.text}`);
  return String(found.pk);
}

/** İstanbul / Kadıköy / Caddebostan of the demo data, as strings (the form sends them so). */
export function demoAddressPlaces(c: StorefrontCustomer) {
  demoPlaces ??= (async () => {
    const country = await lookup(c, '/address/country/', 'Türkiye');
    const city = await lookup(c, `/address/city/?country=${country}`, 'İstanbul');
    const township = await lookup(c, `/address/township/?city=${city}`, 'Kadıköy');
    const district = await lookup(c, `/address/district/?township=${township}`, 'Caddebostan');
    return { country, city, township, district };
  })();
  demoPlaces.catch(() => (demoPlaces = undefined));
  return demoPlaces;
}

/** The client's address form for a personal address in the demo geography. */
export async function addressForm(c: StorefrontCustomer): Promise<Record<string, string>> {
  return {
    type: 'personal',
    is_corporate: 'false',
    title: 'Home',
    first_name: 'Jane',
    last_name: 'Doe',
    phone_number: '+905551234567',
    line: 'Bagdat Cd. 12/3',
    postcode: '34728',
    ...(await demoAddressPlaces(c)),
  };
}

/** Adds a delivery address to the customer's address book, as the client's form does; returns its pk. */
export async function addAddress(c: StorefrontCustomer): Promise<number> {
  const address = await c.json('POST', '/address/', await addressForm(c));
  if (address.status !== 201) throw new Error(`address: ${address.status} ${address.text}`);
  return address.body.pk as number;
}

/** The checkout pages before payment, as the client auto-posts them: delivery, addresses, shipping. */
export async function stepsToPayment(c: StorefrontCustomer, address: number) {
  const posted = [
    await c.page('DeliveryOptionSelectionPage', { delivery_option: '1' }),
    await c.page('AddressSelectionPage', { shipping_address: String(address), billing_address: String(address) }),
    await c.page('ShippingOptionSelectionPage', { shipping_option: '1' }),
  ];
  for (const page of posted) {
    if (page.body.errors !== null) throw new Error(`checkout step: ${JSON.stringify(page.body.errors)}`);
  }
  return posted[2];
}

/** Places an order paid entirely with loyalty money through the checkout pages; returns the thank-you token. */
export async function placeLoyaltyOrder(c: StorefrontCustomer, product: number, quantity = 1): Promise<string> {
  const added = await c.json('POST', '/baskets/basket/', { product, quantity });
  if (added.status !== 200) throw new Error(`basket: ${added.status} ${added.text}`);
  const address = await addAddress(c);
  const total: string = added.body.basket.total_amount;
  await stepsToPayment(c, address);
  const steps: [string, Record<string, string>][] = [
    ['LoyaltyMoneyUsagePage', { loyalty_amount_to_use: total }],
    ['PaymentOptionSelectionPage', { payment_option: '2' }],
    ['LoyaltyPaymentSelectedPage', { agreement: 'true' }],
  ];
  let last: { body: any } | undefined;
  for (const [page, form] of steps) {
    last = await c.page(page, form);
    if (last.body.errors !== null) throw new Error(`${page}: ${JSON.stringify(last.body.errors)}`);
  }
  const thanks = last!.body.context_list[0];
  if (thanks.page_name !== 'ThankYouPage') throw new Error(`no thank-you page: ${JSON.stringify(thanks)}`);
  return thanks.page_context.token as string;
}

/** What an order's store-credit payment credited to the channel's SALE account, as decimal strings. */
export async function saleCredit(app: TestApp, orderNumber: string): Promise<string[]> {
  const rows: { amount: string }[] = await app.app.get(DataSource).query(
    `SELECT t.amount::text AS amount FROM loyalty_transfer t
       JOIN loyalty_account a ON a.id = t.account_id
       JOIN loyalty_transaction x ON x.id = t.transaction_id
      WHERE a.kind = 'sale' AND x.order_number = $1`,
    [orderNumber],
  );
  return rows.map((row) => row.amount);
}
