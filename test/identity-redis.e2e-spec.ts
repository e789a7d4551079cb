import { DataSource } from 'typeorm';
import { PASSWORD, register } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';

/** Needs a Redis (REDIS_URL); without one, sessions and limits are per instance and there is nothing to share. */
const withRedis = process.env.REDIS_URL ? describe : describe.skip;

withRedis('several storefront instances sharing Redis', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = {
      REDIS_KEY_PREFIX: `test:${process.pid}:${Date.now().toString(36)}:`,
      AUTH_THROTTLE_ACCOUNT_LIMIT: '4',
    };
    a = await startTestApp('storefront', { env });
    b = await startTestApp('storefront', { env, databaseUrl: a.config.databaseUrl });
  });

  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const me = (app: TestApp, session: string) => app.http.get('/current_user/', { Cookie: `osessionid=${session}` });

  it('share sessions: signed in on one, known on the other; signed out on the other, gone on the first', async () => {
    const { session, email } = await register(a.http);
    expect((await me(b, session)).body).toMatchObject({ email });
    // Redis holds the sessions, not PostgreSQL.
    const rows = await a.app.get(DataSource).query('SELECT count(*)::int AS n FROM sessions');
    expect(rows[0].n).toBe(0);

    const form = await b.http.request('/users/logout', {
      method: 'POST',
      headers: { Cookie: `osessionid=${session}` },
    });
    const token = /name="csrfmiddlewaretoken" value="(\w+)"/.exec(form.text)![1];
    const done = await b.http.request('/users/logout', {
      form: { csrfmiddlewaretoken: token },
      headers: { Cookie: `osessionid=${session}; csrftoken=${token}` },
    });
    expect(done.status).toBe(200);
    expect((await me(a, session)).status).toBe(401);
  });

  it('share rate limits: attempts on both instances count together', async () => {
    const { email } = await register(a.http);
    const login = (app: TestApp, password: string) => app.http.request('/users/login/', { json: { email, password } });
    expect((await login(a, 'wrong password')).status).toBe(400);
    expect((await login(b, 'wrong password')).status).toBe(400);
    expect((await login(a, 'wrong password')).status).toBe(400);
    expect((await login(b, 'wrong password')).status).toBe(400);
    const blocked = await login(a, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
