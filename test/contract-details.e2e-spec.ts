import { csrfToken } from './helpers/identity';
import { customer, LANG, profile, uniquePhone } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 17, part 3 (the smaller details): an anonymous call to an endpoint that needs a session answers 401 before
 * its body or query is looked at; a required name may not be blank; a back-office call without any credentials is
 * told so, apart from one with a wrong token.
 */
describe('the contract’s smaller details', () => {
  let omnitron: TestApp;
  let storefront: TestApp;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
  });
  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  it('answers an anonymous caller 401 before validating the body or the query', async () => {
    const token = await csrfToken(storefront.http);
    const headers = { ...LANG, Cookie: `csrftoken=${token}`, 'X-CSRFToken': token };
    const notAuthenticated = { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' };
    for (const [method, path, json] of [
      ['POST', '/loyalty-card/add_loyalty_card/', { first_name: 5 }],
      ['POST', '/loyalty-card/add_loyalty_card_otp/', {}],
      ['POST', '/loyalty-card/update_loyalty_card/', { phone: 'x' }],
      ['POST', '/loyalty-card/search_exists_create/', { phone: 'x' }],
      ['POST', '/address/', {}],
      ['PATCH', '/address/1/', { first_name: '' }],
      ['PATCH', '/users/profile/', { first_name: 5 }],
    ] as const) {
      const response = await storefront.http.request(path, { method, json, headers });
      expect([method, path, response.status, response.body]).toEqual([method, path, 401, notAuthenticated]);
    }
    for (const path of ['/account/loyalty/?page=abc', '/users/orders/?page=abc', '/address/?page=abc']) {
      const response = await storefront.http.get(path, LANG);
      expect([path, response.status, response.body]).toEqual([path, 401, notAuthenticated]);
    }
  });

  it('refuses a blank required name on the loyalty-card forms', async () => {
    const me = await customer(storefront);
    const response = await me.post('/loyalty-card/add_loyalty_card/', {
      ...profile(me.email, uniquePhone()),
      first_name: '',
      last_name: '   ',
    });
    expect(response.status).toBe(400);
    expect(response.body.field_errors).toEqual({
      first_name: ['This field is required.'],
      last_name: ['This field is required.'],
    });
  });

  it('tells a back-office call without credentials apart from one with a wrong token', async () => {
    const path = '/api/v1/remote/1/loyalty_account/';
    const none = await omnitron.http.get(path, LANG);
    expect([none.status, none.body]).toEqual([
      401,
      { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' },
    ]);
    const blank = await omnitron.http.get(path, { ...LANG, Authorization: '  ' });
    expect([blank.status, blank.body.code]).toEqual([401, 'not_authenticated']);
    for (const authorization of ['Token nonsense', `Token ${'f'.repeat(64)}`, 'Bearer abc']) {
      const wrong = await omnitron.http.get(path, { ...LANG, Authorization: authorization });
      expect([authorization, wrong.status, wrong.body]).toEqual([
        authorization,
        401,
        { detail: 'Invalid or expired token.', code: 'invalid_token' },
      ]);
    }
  });
});
