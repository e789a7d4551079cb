import { ManualClock } from '@app/common';
import { csrfToken, PASSWORD, register, sessionIdOf, setCookieOf, uniqueEmail } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newCustomer } from './helpers/fixtures';

const SESSION_TTL_SECONDS = 3600;

describe('storefront identity', () => {
  let app: TestApp;
  const clock = new ManualClock();
  /** Every response body of this file, to check that none carries a password or a hash. */
  const seen: string[] = [];

  beforeAll(async () => {
    app = await startTestApp('storefront', {
      clock,
      env: { SESSION_TTL_SECONDS: String(SESSION_TTL_SECONDS), SESSION_COOKIE_SECURE: 'false' },
    });
    const original = app.http.request.bind(app.http);
    app.http.request = async (path, options) => {
      const response = await original(path, options);
      seen.push(response.text, JSON.stringify([...response.headers]));
      return response;
    };
  });

  afterAll(() => app.close());

  const me = (session: string, cookieName = 'osessionid') =>
    app.http.get('/current_user/', { Cookie: `${cookieName}=${session}`, 'Accept-Language': 'en' });

  describe('csrf_token', () => {
    it('hands out a token without any cookie and sets only it, as the csrftoken cookie (no session)', async () => {
      const response = await app.http.get('/csrf_token/');
      expect(response.status).toBe(200);
      expect(response.body.csrf_token).toMatch(/^[0-9a-f]{64}$/);
      expect(response.headers.getSetCookie()).toEqual([
        `csrftoken=${response.body.csrf_token}; Max-Age=31449600; Path=/; SameSite=Lax`,
      ]);
    });
  });

  describe('registration', () => {
    it('creates the user, signs in with one Max-Age session cookie, and current_user answers with only it', async () => {
      const email = uniqueEmail('Reg');
      const { session, response } = await register(app.http, email, { phone: '+905551112233', sms_allowed: true });
      expect(response.body).toEqual({ key: session });
      const cookie = setCookieOf(response)!;
      expect(cookie).toMatch(/^osessionid=\w+; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(cookie).not.toContain('Expires');

      const current = await me(session);
      expect(current.status).toBe(200);
      expect(current.body).toMatchObject({
        email,
        first_name: 'Jane',
        last_name: 'Doe',
        phone: '+905551112233',
        sms_allowed: true,
        email_allowed: false,
        call_allowed: null,
        gender: 'unknown',
        is_active: true,
        user_type: 'registered',
        attributes: {},
        attributes_kwargs: {},
        date_of_birth: null,
        date_joined: clock.now().toISOString(),
      });
      expect(current.body.pk).toEqual(expect.any(Number));
      expect(current.body.hashed_email).toBe(
        require('node:crypto').createHash('sha256').update(email.toLowerCase()).digest('hex'),
      );
      expect(Object.keys(current.body)).not.toContain('password');
    });

    it('refuses an e-mail registered already, whatever its case, keyed by field at the top level', async () => {
      const { email } = await register(app.http);
      const again = await app.http.request('/users/registration/', {
        json: { email: email.toUpperCase(), password: PASSWORD },
        headers: { 'Accept-Language': 'en' },
      });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ email: ['A user with that email address already exists.'] });
    });

    it('reports invalid fields keyed by field, translated', async () => {
      const response = await app.http.request('/users/registration/', {
        json: { email: 'not-an-email', password: 'short', gender: 'x' },
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        email: ['Enter a valid email address.'],
        password: ['Ensure this field has at least 8 characters.'],
        gender: ['Not a valid choice. Choose one of: male, female, unknown.'],
      });
      const tr = await app.http.request('/users/registration/', { json: { password: PASSWORD } });
      expect(tr.body).toEqual({ email: ['Bu alan zorunludur.'] });
    });
  });

  describe('login', () => {
    it('answers {key}, ignores the client’s extra fields and issues a new session id each time', async () => {
      const { email, session: first } = await register(app.http);
      const response = await app.http.request('/users/login/', {
        json: {
          email: email.toUpperCase(),
          password: PASSWORD,
          formType: 'login',
          locale: 'en',
          captchaValidated: true,
        },
        headers: { Cookie: `osessionid=${first}` },
      });
      expect(response.status).toBe(200);
      const second = sessionIdOf(response);
      expect(response.body).toEqual({ key: second });
      expect(second).not.toBe(first);
      expect((await me(second)).status).toBe(200);
      expect((await me(first)).status).toBe(401);
    });

    // Alike: the answer does not tell whether the e-mail is registered.
    it.each([
      ['a wrong password', (email: string) => ({ email, password: 'wrong password' })],
      ['an unknown e-mail', () => ({ email: uniqueEmail('nobody'), password: PASSWORD })],
    ])('refuses %s with "Unable to log in with provided credentials." in non_field_errors', async (_rule, body) => {
      const { email } = await register(app.http);
      const response = await app.http.request('/users/login/', {
        json: body(email),
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('reports a missing password keyed by field', async () => {
      const response = await app.http.request('/users/login/', {
        json: { email: 'a@example.com' },
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ password: ['This field is required.'] });
    });
  });

  describe('sessions', () => {
    it('accepts the session under the name sessionid too', async () => {
      const { session } = await register(app.http);
      expect((await me(session, 'sessionid')).status).toBe(200);
    });

    it('answers 401 without a session', async () => {
      expect((await app.http.get('/current_user/')).status).toBe(401);
    });

    it.each(['not-a-valid-id', 'a'.repeat(64)])(
      'answers 401 to a session id that names no session (%s)',
      async (id) => {
        expect((await me(id)).status).toBe(401);
      },
    );

    it('ignores X-Cookie when it is disabled: 401', async () => {
      const { session } = await register(app.http);
      expect((await app.http.get('/current_user/', { 'X-Cookie': `osessionid=${session}` })).status).toBe(401);
    });

    it('slides: activity keeps a session alive past its first TTL; idleness ends it', async () => {
      const { session } = await register(app.http);
      clock.advanceMs(SESSION_TTL_SECONDS * 600); // 60% of the TTL
      const renewed = await me(session);
      expect(renewed.status).toBe(200);
      expect(setCookieOf(renewed)).toMatch(new RegExp(`^osessionid=${session}; Max-Age=3600;`));
      clock.advanceMs(SESSION_TTL_SECONDS * 600); // 120% of the TTL since login, 60% since the renewal
      expect((await me(session)).status).toBe(200);
      clock.advanceMs(SESSION_TTL_SECONDS * 1000 + 1);
      expect((await me(session)).status).toBe(401);
    });
  });

  describe('CSRF', () => {
    describe('refuses a state-changing call without the pair with 403', () => {
      it('refuses a call with neither the cookie nor the header: "CSRF Failed: CSRF token missing or incorrect."', async () => {
        const { session } = await register(app.http);
        const none = await app.http.request('/users/profile/', {
          method: 'PATCH',
          json: { first_name: 'Ann' },
          headers: { Cookie: `osessionid=${session}`, 'Accept-Language': 'en' },
        });
        expect(none.status).toBe(403);
        expect(none.body).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.', code: 'csrf_failed' });
      });

      it('refuses a header that is not the cookie’s token', async () => {
        const { session } = await register(app.http);
        const token = await csrfToken(app.http);
        const mismatch = await app.http.request('/users/profile/', {
          method: 'PATCH',
          json: { first_name: 'Ann' },
          headers: { Cookie: `osessionid=${session}; csrftoken=${token}`, 'X-CSRFToken': await csrfToken(app.http) },
        });
        expect(mismatch.status).toBe(403);
      });

      it('refuses the header without the cookie', async () => {
        const { session } = await register(app.http);
        const token = await csrfToken(app.http);
        const headerOnly = await app.http.request('/users/profile/', {
          method: 'PATCH',
          json: { first_name: 'Ann' },
          headers: { Cookie: `osessionid=${session}`, 'X-CSRFToken': token },
        });
        expect(headerOnly.status).toBe(403);
      });
    });

    it('accepts a state-changing call with the pair, in the header or in the form field', async () => {
      const { session } = await register(app.http);
      const token = await csrfToken(app.http);
      const ok = await app.http.request('/users/profile/', {
        method: 'PATCH',
        json: { first_name: 'Ann', gender: 'female', date_of_birth: '1990-12-10' },
        headers: { Cookie: `osessionid=${session}; csrftoken=${token}`, 'X-CSRFToken': token },
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ first_name: 'Ann', gender: 'female', date_of_birth: '1990-12-10' });
      const form = await app.http.request('/users/profile/', {
        method: 'PATCH',
        form: { last_name: 'Roe', csrfmiddlewaretoken: token },
        headers: { Cookie: `osessionid=${session}; csrftoken=${token}` },
      });
      expect(form.status).toBe(200);
      const profile = await app.http.get('/users/profile/', { Cookie: `osessionid=${session}` });
      expect(profile.body).toMatchObject({ first_name: 'Ann', last_name: 'Roe' });
    });

    describe('reports an invalid date of birth keyed by its field', () => {
      /** A new signed-in customer's profile PATCH (CSRF pair, English) that changes only the date of birth. */
      const patchDateOfBirth = async (dateOfBirth: string) =>
        (await newCustomer(app)).json('PATCH', '/users/profile/', { date_of_birth: dateOfBirth });

      it('refuses a date of birth not written YYYY-MM-DD (10/12/1990)', async () => {
        const response = await patchDateOfBirth('10/12/1990');
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ date_of_birth: ['Date has wrong format. Use YYYY-MM-DD.'] });
      });

      it('refuses a date of birth that is no calendar day (1990-02-30)', async () => {
        const response = await patchDateOfBirth('1990-02-30');
        expect(response.status).toBe(400);
        expect(response.body).toEqual({ date_of_birth: ['Date has wrong format. Use YYYY-MM-DD.'] });
      });
    });
  });

  describe('logout', () => {
    it.each(['/users/logout', '/users/logout/'])('ends the session in the two-step form flow (%s)', async (path) => {
      const { session } = await register(app.http);
      const first = await app.http.request(path, { method: 'POST', headers: { Cookie: `osessionid=${session}` } });
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toContain('text/html');
      const token = /<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)">/.exec(first.text)?.[1];
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect((await me(session)).status).toBe(200);

      const wrong = await app.http.request(path, {
        form: { csrfmiddlewaretoken: token! },
        headers: { Cookie: `osessionid=${session}; csrftoken=${await csrfToken(app.http)}` },
      });
      expect(wrong.status).toBe(403);
      expect((await me(session)).status).toBe(200);

      const second = await app.http.request(path, {
        form: { csrfmiddlewaretoken: token! },
        headers: { Cookie: `osessionid=${session}; csrftoken=${token}` },
      });
      expect(second.status).toBe(200);
      expect(setCookieOf(second)).toMatch(/^osessionid=; Max-Age=0;/);
      expect((await me(session)).status).toBe(401);
    });
  });

  it('never sends a password or a password hash', () => {
    const all = seen.join('\n');
    expect(seen.length).toBeGreaterThan(20);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('scrypt$');
    expect(all).not.toMatch(/password_hash|passwordHash/);
  });
});

describe('storefront identity with X-Cookie enabled, logs captured', () => {
  let app: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await startTestApp('storefront', {
      env: { ENABLE_X_COOKIE_HEADER: 'true', LOG_LEVEL: 'trace' },
      logStream: { write: (line: string) => void lines.push(line) },
    });
  });

  afterAll(() => app.close());

  it('reads X-Cookie as the Cookie header', async () => {
    const { session } = await register(app.http);
    const response = await app.http.get('/current_user/', { 'X-Cookie': `osessionid=${session}` });
    expect(response.status).toBe(200);
  });

  it('writes log lines for every request, none with a password, a hash or a session id', async () => {
    const { email, session } = await register(app.http);
    await app.http.request('/users/login/', { json: { email, password: 'wrong password' } });
    await app.http.request('/users/login/', {
      json: { email, password: PASSWORD },
      headers: { Cookie: `osessionid=${session}` },
    });
    await app.http.request('/users/registration/', { json: { email, password: PASSWORD } });
    const all = lines.join('');
    expect(all).toContain('/users/login/');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('wrong password');
    expect(all).not.toContain('scrypt$');
    expect(all).not.toContain(session);
  });
});
