import { PASSWORD, register, uniqueEmail } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';

describe('authentication rate limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront', {
      env: { AUTH_THROTTLE_ACCOUNT_LIMIT: '4', AUTH_THROTTLE_IP_LIMIT: '12', AUTH_THROTTLE_WINDOW_SECONDS: '600' },
    });
  });

  afterAll(() => app.close());

  const login = (email: string, password: string) =>
    app.http.request('/users/login/', { json: { email, password }, headers: { 'Accept-Language': 'en' } });

  it('throttles repeated wrong passwords for one account with 429 and Retry-After, other accounts unaffected', async () => {
    const { email } = await register(app.http);
    for (let attempt = 1; attempt <= 4; attempt++) expect((await login(email, 'wrong password')).status).toBe(400);
    const blocked = await login(email.toUpperCase(), PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'throttled' });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(blocked.body.detail).toContain(String(retryAfter));

    const other = await register(app.http);
    expect((await login(other.email, PASSWORD)).status).toBe(200);
  });

  it('throttles one IP across accounts', async () => {
    let status = 0;
    for (let attempt = 0; attempt < 12 && status !== 429; attempt++) {
      status = (await login(uniqueEmail('spray'), 'wrong password')).status;
    }
    expect(status).toBe(429);
  });
});
