import { DataSource } from 'typeorm';
import type { StorefrontCustomer } from './checkout';
import { newCustomer } from './fixtures';
import type { HttpResponse } from './http';
import type { TestApp } from './test-app';

export const LANG = { 'Accept-Language': 'en' };

let phoneCounter = 0;
/** A phone no other test process uses. */
export const uniquePhone = (): string =>
  `+9055${String(process.pid % 1000).padStart(3, '0')}${String(++phoneCounter).padStart(5, '0')}`;

/** The enrolment form as the storefront client posts it. */
export function profile(email: string, phone: string) {
  return {
    first_name: 'John',
    last_name: 'Doe',
    email,
    gender: 'male',
    date_of_birth: '1990-12-10',
    phone,
    email_allowed: false,
    sms_allowed: false,
  };
}

/** A customer of `newCustomer` with the calls the loyalty-card tests make: JSON posts, a PATCH, extra headers. */
export interface Customer extends Omit<StorefrontCustomer, 'get'> {
  get(path: string, extra?: Record<string, string>): Promise<HttpResponse<any>>;
  post(path: string, json?: unknown, extra?: Record<string, string>): Promise<HttpResponse<any>>;
  patch(path: string, json: unknown): Promise<HttpResponse<any>>;
}

/** A signed-in storefront customer (`newCustomer`: session cookie and CSRF pair, as the real client sends them). */
export async function customer(app: TestApp, email?: string): Promise<Customer> {
  const signedIn = await newCustomer(app, email === undefined ? {} : { email });
  const { headers } = signedIn;
  return {
    ...signedIn,
    get: (path, extra = {}) => app.http.get(path, { ...headers, ...extra }),
    post: (path, json = {}, extra = {}) => app.http.request(path, { json, headers: { ...headers, ...extra } }),
    patch: (path, json) => app.http.request(path, { method: 'PATCH', json, headers }),
  };
}

/** The code the `outbox` SMS provider last sent to a phone. */
export async function lastCode(app: TestApp, phone: string): Promise<string> {
  const rows = await app.app
    .get(DataSource)
    .query<{ body: string }[]>('SELECT body FROM sms_message WHERE phone = $1 ORDER BY id DESC LIMIT 1', [phone]);
  const code = /(\d{4})\s*$/.exec(rows[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}

/** The whole SMS flow of `add_loyalty_card`: post, read the code from the outbox, post again with it. */
export async function enrolWithCode(app: TestApp, me: Customer, data: ReturnType<typeof profile>) {
  const first = await me.post('/loyalty-card/add_loyalty_card/', data);
  if (first.status !== 202) throw new Error(`no code sent: ${first.status} ${first.text}`);
  return me.post('/loyalty-card/add_loyalty_card/', { ...data, code: await lastCode(app, data.phone) });
}

/** Settings of an app whose loyalty provider is the `http` one at `baseUrl` (the fake on loopback). */
export function httpProviderEnv(baseUrl: string, options: Record<string, unknown>, isSync: boolean) {
  return {
    CUSTOMER_LOYALTY_CARD_SERVICE: JSON.stringify({
      provider: 'http',
      options: { base_url: baseUrl, ...options },
      is_sync: isSync,
    }),
  };
}
