import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ProductService } from '@app/checkout';
import { ChannelService, StaffService } from '@app/identity';
import { LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import type { CheckoutCustomer } from './checkout-load';

/** The checkout benchmark's settings (from the environment) and its setup: customers, accounts, a staff token. */

export const CONCURRENCIES = [
  ...new Set(
    (process.env.BENCH_CONCURRENCY ?? '1,16,64')
      .split(',')
      .map((c) => Math.min(Math.max(Math.trunc(Number(c)) || 1, 1), 64)),
  ),
];
export const SECONDS = Math.min(Math.max(Number(process.env.BENCH_SECONDS ?? 5) || 5, 1), 60);
export const MAX_OPS = 100_000;
/** Rounds of (checkout run, transfer run) at each concurrency. */
export const REPEATS = Math.min(Math.max(Math.trunc(Number(process.env.BENCH_REPEATS ?? 3)) || 1, 1), 10);
/** DATABASE_POOL_SIZE of each app alike. */
export const POOL_SIZE = 20;
export const WARM_CONCURRENCY = Math.min(16, Math.max(...CONCURRENCIES));
const CUSTOMERS = Math.max(...CONCURRENCIES, WARM_CONCURRENCY);
const PRICE = '10.00';
const REQUEST_TIMEOUT_MS = 10_000;

export type Store = 'postgres' | 'redis';

/** What the timed runs need: the checkout customers, the transfer workers' account pairs, a staff token. */
export interface BenchFixtures {
  customers: CheckoutCustomer[];
  pairs: [number, number][];
  token: string;
}

/** One JSON request of the setup, with a timeout; returns the body and the session cookie it set. */
async function call(
  url: string,
  init: { method?: string; json?: unknown; cookie?: string; csrf?: string; token?: string },
): Promise<{ status: number; body: { csrf_token?: string; pk?: number; key?: string }; session?: string }> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (init.json !== undefined) headers['Content-Type'] = 'application/json';
  if (init.cookie) headers.Cookie = init.cookie;
  if (init.csrf) headers['X-CSRFToken'] = init.csrf;
  const response = await fetch(url, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const session = /osessionid=(\w+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { status: response.status, body: (await response.json()) as { csrf_token?: string; pk?: number }, session };
}

/** İstanbul / Kadıköy / Caddebostan of the demo geography, as the client's select boxes find them (pks as strings). */
async function demoPlaces(baseUrl: string, cookie: string): Promise<Record<string, string>> {
  const lookup = async (path: string, name: string): Promise<string> => {
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json', Cookie: cookie },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { results?: { pk: number; name: string }[] };
    const found = body.results?.find((r) => r.name === name);
    if (!found) throw new Error(`${name} not in ${path}: ${response.status}`);
    return String(found.pk);
  };
  const country = await lookup('/address/country/', 'Türkiye');
  const city = await lookup(`/address/city/?country=${country}`, 'İstanbul');
  const township = await lookup(`/address/township/?city=${city}`, 'Kadıköy');
  const district = await lookup(`/address/district/?township=${township}`, 'Caddebostan');
  return { country, city, township, district };
}

/**
 * Setup, outside the timed runs: loyalty money on; per checkout customer a registration (session), a CSRF
 * token, an address, store credit of 1,000,000.00 and a product of its own (so no two customers wait on one
 * stock row); per transfer worker a pair of accounts of 1,000,000.00; a staff token.
 */
export async function setUpFixtures(
  storefront: NestFastifyApplication,
  omnitron: NestFastifyApplication,
  storefrontUrl: string,
  omnitronUrl: string,
  runId: string,
): Promise<BenchFixtures> {
  await storefront.get(DynamicSettingsService, { strict: false }).patch(1, { LOYALTY_MONEY_ENABLED: true });
  const channel = (await storefront.get(ChannelService, { strict: false }).find(1))!;
  const products = storefront.get(ProductService, { strict: false });
  const accounts = storefront.get(LoyaltyAccountService, { strict: false });
  const dataSource = storefront.get(DataSource);
  const customers: CheckoutCustomer[] = [];
  let places: Record<string, string> | undefined;
  for (let i = 0; i < CUSTOMERS; i++) {
    const email = `checkout-bench-${runId}-${i}@example.com`;
    const registered = await call(`${storefrontUrl}/users/registration/`, {
      json: { email, password: 'bench-password', first_name: 'Bench', last_name: 'Customer' },
    });
    if (registered.status !== 201 || !registered.session) throw new Error(`registration: ${registered.status}`);
    const rows: { id: number }[] = await dataSource.query(
      'SELECT id FROM users WHERE channel_id = 1 AND email_lower = $1',
      [email],
    );
    await accounts.create(1, { userId: rows[0].id, currency: 'try', balance: 100_000_000n });
    const product = await products.create(channel, {
      sku: `BENCH-${runId}-${i}`,
      name: `Bench product ${i}`,
      prices: [{ currency: 'try', amount: PRICE }],
      stock: 1_000_000,
      active: true,
    });
    const csrf = (await call(`${storefrontUrl}/csrf_token/`, {})).body.csrf_token ?? '';
    const cookie = `osessionid=${registered.session}; csrftoken=${csrf}`;
    places ??= await demoPlaces(storefrontUrl, cookie);
    // The storefront client's address form: a personal address in the demo geography (seeded by the migrations).
    const address = await call(`${storefrontUrl}/address/`, {
      cookie,
      csrf,
      json: {
        type: 'personal',
        is_corporate: 'false',
        title: 'Home',
        first_name: 'Bench',
        last_name: 'Customer',
        phone_number: '+905551234567',
        line: 'Bagdat Cd. 12/3',
        postcode: '34728',
        ...places,
      },
    });
    if (address.status !== 201 || address.body.pk === undefined)
      throw new Error(`address: ${address.status} ${JSON.stringify(address.body)}`);
    customers.push({ session: registered.session, csrf, address: address.body.pk, product: product.pk });
  }
  const transferAccounts: number[] = [];
  for (let i = 0; i < 2 * CUSTOMERS; i++) {
    const rows: { id: number }[] = await dataSource.query(
      `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, $1, $2, $2, '!', now(), now()) RETURNING id`,
      [`transfer-bench-${i}`, `transfer-bench-${runId}-${i}@example.com`],
    );
    transferAccounts.push(
      (await accounts.create(1, { userId: rows[0].id, currency: 'try', balance: 100_000_000n })).pk,
    );
  }
  const pairs = Array.from({ length: CUSTOMERS }, (_, i): [number, number] => [
    transferAccounts[2 * i],
    transferAccounts[2 * i + 1],
  ]);
  await omnitron
    .get(StaffService, { strict: false })
    .create({ username: 'bench', password: 'bench-password', superuser: true, channelIds: [] });
  const login = await call(`${omnitronUrl}/api/v1/auth/login/`, {
    json: { username: 'bench', password: 'bench-password' },
  });
  if (login.status !== 200 || !login.body.key) throw new Error(`staff login: ${login.status}`);
  return { customers, pairs, token: login.body.key };
}
