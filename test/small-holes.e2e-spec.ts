import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { register } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newStaff } from './helpers/fixtures';

/**
 * Issue 18, item 3: store-credit accounts only in a currency the channel sells; `nosniff` on every answer and
 * `no-store` on answers to a caller with credentials; `/metrics` behind METRICS_TOKEN when it is set; Swagger UI and
 * its documents off by default in production.
 */
const CH = 1;
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describe('the last small holes', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let auth: Record<string, string>;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron', { env: { METRICS_TOKEN } });
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    auth = (await newStaff(omnitron, { channels: [CH] })).headers;
  });
  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  it('opens store-credit accounts only in a currency the channel sells, and leaves no BANK account behind', async () => {
    const { session } = await register(storefront.http);
    const me = await storefront.http.get<{ pk: number }>('/current_user/', { Cookie: `osessionid=${session}` });
    const refused = await omnitron.http.request(`/api/v1/remote/${CH}/loyalty_account/`, {
      json: { user: me.body.pk, currency: 'xyz', balance: '10.00' },
      headers: auth,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      field_errors: { currency: ['This channel does not sell in xyz.'] },
    });
    const db = omnitron.app.get(DataSource);
    expect(await db.query(`SELECT id FROM loyalty_account WHERE currency = 'xyz'`)).toEqual([]);
    const sold = await omnitron.http.request(`/api/v1/remote/${CH}/loyalty_account/`, {
      json: { user: me.body.pk, currency: 'EUR', balance: '10.00' },
      headers: auth,
    });
    expect(sold.status).toBe(201);
  });

  it('answers nosniff everywhere, and no-store to a caller with a session or a token', async () => {
    const anonymous = await storefront.http.get('/health/');
    expect(anonymous.headers.get('x-content-type-options')).toBe('nosniff');
    expect(anonymous.headers.get('cache-control')).toBeNull();
    // A registration sent with no cookie: its answer creates the session, so it is the caller's own.
    const { session, response: registered } = await register(storefront.http);
    expect(registered.headers.get('set-cookie')).toContain('osessionid=');
    expect(registered.headers.get('cache-control')).toBe('no-store');
    const customer = await storefront.http.get('/current_user/', { Cookie: `osessionid=${session}` });
    expect(customer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(customer.headers.get('cache-control')).toBe('no-store');
    const staff = await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_account/`, auth);
    expect(staff.status).toBe(200);
    expect(staff.headers.get('cache-control')).toBe('no-store');
    const refused = await omnitron.http.get(`/api/v1/remote/${CH}/loyalty_account/`, { Authorization: 'Token nope' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers /metrics only with the bearer token when METRICS_TOKEN is set, and to anyone when it is not', async () => {
    expect((await omnitron.http.get('/metrics')).status).toBe(401);
    expect((await omnitron.http.get('/metrics', { Authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const allowed = await omnitron.http.get('/metrics', { Authorization: `Bearer ${METRICS_TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toContain('http_request');
    expect((await storefront.http.get('/metrics')).status).toBe(200);
    expect(() => AppConfig.fromEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });

  it('serves Swagger UI and its documents by default, but not in production unless SWAGGER_ENABLED says so', async () => {
    expect((await storefront.http.get('/docs-json')).status).toBe(200);
    expect(AppConfig.fromEnv({ NODE_ENV: 'production' }).swaggerEnabled).toBe(false);
    expect(AppConfig.fromEnv({ NODE_ENV: 'production', SWAGGER_ENABLED: 'true' }).swaggerEnabled).toBe(true);
    expect(AppConfig.fromEnv({}).swaggerEnabled).toBe(true);
    const production = await startTestApp('storefront', {
      databaseUrl: omnitron.config.databaseUrl,
      env: { NODE_ENV: 'production', PAYMENT_SANDBOX_ALLOWED: 'true' },
    });
    try {
      expect((await production.http.get('/docs-json')).status).toBe(404);
      expect((await production.http.get('/docs')).status).toBe(404);
    } finally {
      await production.close();
    }
  });
});
