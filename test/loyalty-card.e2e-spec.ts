import { DataSource } from 'typeorm';
import { ManualClock } from '@app/common';
import { FakeLoyaltyProvider } from './helpers/fake-loyalty-provider';
import { DynamicSettingsService } from '@app/settings';
import { customer, enrolWithCode, LANG, lastCode, profile, uniquePhone } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newStaff } from './helpers/fixtures';

describe('loyalty cards with the local provider and the SMS outbox', () => {
  let app: TestApp;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    app = await startTestApp('storefront', { clock });
  });
  afterAll(() => app.close());

  it('answers no card as null with 0 points, and 401 without a session', async () => {
    const me = await customer(app);
    expect((await me.get('/loyalty-card/loyalty_card/')).body).toEqual({ card: null, points: 0, errors: null });
    const anonymous = await app.http.get('/loyalty-card/loyalty_card/', LANG);
    expect(anonymous.status).toBe(401);
  });

  it('enrols through the SMS flow: 202 with the data, then 201 with the card and the user marked', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const data = profile(me.email, phone);
    const first = await me.post('/loyalty-card/add_loyalty_card/', data);
    expect(first.status).toBe(202);
    expect(first.body).toEqual(data);
    const code = await lastCode(app, phone);
    // The code goes by SMS only: the answer is the submitted data, with no code field or value.
    expect(first.body).not.toHaveProperty('code');
    expect(Object.values(first.body)).not.toContain(code);

    const created = await me.post('/loyalty-card/add_loyalty_card/', { ...data, code });
    expect(created.status).toBe(201);
    // The same envelope as add_loyalty_card_otp: the card and where the client goes next.
    expect(Object.keys(created.body).sort()).toEqual(['card', 'redirect_url']);
    expect(created.body).toMatchObject({
      card: {
        pk: expect.any(Number),
        number: phone,
        attributes: { account_number: expect.stringMatching(/^\d+$/) },
        user: { email: me.email, attributes: { has_loyalty: true, verified_user: true }, phone, first_name: 'John' },
      },
      redirect_url: 'omnishop_loyaltycard:loyalty-card',
    });
    const detail = await me.get('/loyalty-card/loyalty_card/');
    expect(detail.body).toMatchObject({ card: { pk: created.body.card.pk }, points: 0, errors: null });
    const form = await me.get('/loyalty-card/add_loyalty_card/');
    expect(form.status).toBe(302);
    expect(form.headers.get('location')).toBe('/loyalty-card/loyalty_card/');
  });

  it('needs the CSRF pair on posts', async () => {
    const me = await customer(app);
    const response = await app.http.request('/loyalty-card/add_loyalty_card/', {
      json: profile(me.email, uniquePhone()),
      headers: { ...LANG, Cookie: 'osessionid=whatever' },
    });
    expect(response.status).toBe(403);
  });

  describe('wrong verification codes', () => {
    /** A customer with a code sent for a new phone, and codes other than the one sent. */
    const codeSent = async () => {
      const me = await customer(app);
      const phone = uniquePhone();
      const data = profile(me.email, phone);
      await me.post('/loyalty-card/add_loyalty_card/', data);
      const right = await lastCode(app, phone);
      const wrong = (n: number) => String((Number(right) + n) % 10_000).padStart(4, '0');
      const post = (code: string) => me.post('/loyalty-card/add_loyalty_card/', { ...data, code });
      /** The first wrong code, sent four times as the client repeats a failed request, then three more. */
      const fourWrongCodes = async () => {
        const first = await post(wrong(1));
        for (let i = 0; i < 3; i++) await post(wrong(1));
        for (let n = 2; n < 4; n++) await post(wrong(n));
        return { first, fourth: await post(wrong(4)) };
      };
      return { me, right, wrong, post, fourWrongCodes };
    };

    it('refuses a wrong code: "The verification code is not correct."', async () => {
      const { post, wrong } = await codeSent();
      const first = await post(wrong(1));
      expect(first.status).toBe(400);
      expect(first.body.field_errors).toEqual({ code: ['The verification code is not correct.'] });
    });

    // The client repeats a failed request up to four times: the same wrong code counts as one try.
    it('counts a repeated wrong code once: the fourth different wrong code is still only not correct', async () => {
      const { fourWrongCodes } = await codeSent();
      const { first, fourth } = await fourWrongCodes();
      expect(first.body.field_errors).toEqual({ code: ['The verification code is not correct.'] });
      expect(fourth.body.field_errors).toEqual({ code: ['The verification code is not correct.'] });
    });

    it('locks after five wrong codes, refusing the right one after them', async () => {
      const { me, right, wrong, post, fourWrongCodes } = await codeSent();
      await fourWrongCodes();
      const fifth = await post(wrong(5));
      expect(fifth.body.field_errors).toEqual({ code: ['Too many wrong codes. Please request a new code.'] });
      const thenRight = await post(right);
      expect(thenRight.status).toBe(400);
      expect((await me.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
    });

    it('refuses a code sent for another phone: "The details do not match the ones the code was sent for."', async () => {
      const me = await customer(app);
      const phone = uniquePhone();
      const data = profile(me.email, phone);
      await me.post('/loyalty-card/add_loyalty_card/', data);
      const code = await lastCode(app, phone);
      const otherPhone = await me.post('/loyalty-card/add_loyalty_card/', { ...data, phone: uniquePhone(), code });
      expect(otherPhone.status).toBe(400);
      expect(otherPhone.body.field_errors).toEqual({
        non_field_errors: ['The details do not match the ones the code was sent for.'],
      });
    });

    it('refuses a code 180 s after it was sent as expired (in the language asked for)', async () => {
      const me = await customer(app);
      const phone = uniquePhone();
      const data = profile(me.email, phone);
      await me.post('/loyalty-card/add_loyalty_card/', data);
      const code = await lastCode(app, phone);
      clock.advanceMs(180_000);
      const expired = await me.post('/loyalty-card/add_loyalty_card/', { ...data, code }, { 'Accept-Language': 'de' });
      expect(expired.status).toBe(400);
      expect(expired.body.field_errors.code[0]).toContain('abgelaufen');
    });
  });

  describe('limits resends', () => {
    const sentTo = async (phone: string): Promise<number> => {
      const sent: { n: number }[] = await app.app
        .get(DataSource)
        .query('SELECT count(*)::int AS n FROM sms_message WHERE phone = $1', [phone]);
      return sent[0].n;
    };

    it('refuses a resend within 60 s (sms_resend_too_soon); a repeat of the same post sends nothing', async () => {
      const me = await customer(app);
      const phone = uniquePhone();
      const data = profile(me.email, phone);
      expect((await me.post('/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
      // A repeat of the same post (a client retry) sends nothing and answers the same.
      expect((await me.post('/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
      const early = await me.post('/loyalty-card/add_loyalty_card/', { ...data, resend: true });
      expect(early.status).toBe(429);
      expect(early.body.code).toBe('sms_resend_too_soon');
      expect(await sentTo(phone)).toBe(1);
    });

    it('refuses a sixth code within an hour (sms_limit_exceeded): five are sent', async () => {
      const me = await customer(app);
      const phone = uniquePhone();
      const data = profile(me.email, phone);
      expect((await me.post('/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
      for (let i = 0; i < 4; i++) {
        clock.advanceMs(60_000);
        const resent = await me.post('/loyalty-card/add_loyalty_card/', { ...data, resend: true });
        expect([resent.status, resent.body]).toEqual([200, { message: 'success' }]);
      }
      clock.advanceMs(60_000);
      const sixth = await me.post('/loyalty-card/add_loyalty_card/', { ...data, resend: true });
      expect(sixth.status).toBe(429);
      expect(sixth.body.code).toBe('sms_limit_exceeded');
      expect(await sentTo(phone)).toBe(5);
    });
  });

  it('enrols through add_loyalty_card_otp only with a phone this user verified earlier', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const refused = await me.post('/loyalty-card/add_loyalty_card_otp/', profile(me.email, phone));
    expect([refused.status, refused.body.code]).toEqual([400, 'phone_not_verified']);
    expect(refused.body.field_errors.phone[0]).toContain('add_loyalty_card');
    expect((await me.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
    expect((await enrolWithCode(app, me, profile(me.email, phone))).status).toBe(201);
    expect((await me.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    const response = await me.post('/loyalty-card/add_loyalty_card_otp/', profile(me.email, phone));
    expect(response.status).toBe(201);
    expect(response.body.redirect_url).toBe('omnishop_loyaltycard:loyalty-card');
    expect(response.body.card).toMatchObject({ number: phone, user: { attributes: { has_loyalty: true } } });
  });

  it('creates one card and one external account when one user enrols twice at once', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const data = profile(me.email, phone);
    expect((await me.post('/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
    const code = await lastCode(app, phone);
    const responses = await Promise.all(
      [1, 2, 3].map(() => me.post('/loyalty-card/add_loyalty_card/', { ...data, code })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const db = app.app.get(DataSource);
    const accounts = await db.query('SELECT count(*)::int AS n FROM local_loyalty_account WHERE phone = $1', [phone]);
    expect(accounts[0].n).toBe(1);
  });

  it('updates the member profile and the local user, refusing a phone another user verified', async () => {
    const other = await customer(app);
    const otherPhone = uniquePhone();
    expect((await enrolWithCode(app, other, profile(other.email, otherPhone))).status).toBe(201);
    const me = await customer(app);
    const phone = uniquePhone();
    expect((await enrolWithCode(app, me, profile(me.email, phone))).status).toBe(201);
    const form = await me.get('/loyalty-card/update_loyalty_card/');
    expect(form.body).toEqual({ card: { ...profile(me.email, phone), call_allowed: null } });
    const { email: _email, ...changes } = { ...profile(me.email, phone), last_name: 'Smith', date_of_birth: null };
    const modifiedBefore = (await me.get('/current_user/')).body.modified_date as string;
    clock.advanceMs(1_000);
    const updated = await me.post('/loyalty-card/update_loyalty_card/', changes);
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      card: { ...changes, call_allowed: null },
      redirect_url: 'omnishop_loyaltycard:loyalty-card',
    });
    const after = (await me.get('/current_user/')).body;
    expect(after).toMatchObject({ last_name: 'Smith', date_of_birth: null });
    expect(after.modified_date).not.toBe(modifiedBefore);
    const taken = await me.post('/loyalty-card/update_loyalty_card/', { ...changes, phone: otherPhone });
    expect(taken.status).toBe(400);
    expect(taken.body.field_errors).toEqual({ phone: ['This phone number is used by another account.'] });
  });

  it('deletes the card (has_loyalty stays) and lets the user enrol again', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    expect((await enrolWithCode(app, me, profile(me.email, phone))).status).toBe(201);
    const preview = await me.get('/loyalty-card/delete_loyalty/');
    expect(Object.keys(preview.body.card.user).sort()).toEqual(['first_name', 'last_name', 'phone', 'pk']);
    expect((await me.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    expect((await me.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
    expect((await me.get('/current_user/')).body.attributes).toMatchObject({ has_loyalty: true });
    expect((await me.get('/loyalty-card/add_loyalty_card/')).status).toBe(200);
    const again = await me.post('/loyalty-card/add_loyalty_card_otp/', profile(me.email, phone));
    expect(again.status).toBe(201);
    expect(again.body.card.user.attributes.has_loyalty).toBe(true);
  });

  it('never links another user’s external account', async () => {
    const owner = await customer(app);
    const phone = uniquePhone();
    expect((await enrolWithCode(app, owner, profile(owner.email, phone))).status).toBe(201);
    const stranger = await customer(app);
    const claim = await stranger.post('/loyalty-card/search_exists_create/', { email: owner.email, phone });
    expect([claim.status, claim.body]).toEqual([200, { message: 'not find remote account' }]);
    expect((await stranger.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
  });

  it('rejects bad input with field errors', async () => {
    const me = await customer(app);
    const response = await me.post('/loyalty-card/add_loyalty_card/', {
      ...profile(me.email, '12ab'),
      first_name: 'x'.repeat(31),
      gender: 'other',
      date_of_birth: '1990-02-30',
      code: '12',
    });
    expect(response.status).toBe(400);
    expect(Object.keys(response.body.field_errors).sort()).toEqual([
      'code',
      'date_of_birth',
      'first_name',
      'gender',
      'phone',
    ]);
  });
});

describe('loyalty cards with the http provider', () => {
  const fake = new FakeLoyaltyProvider();
  const clock = new ManualClock(new Date());
  let app: TestApp;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    app = await startTestApp('storefront', {
      clock,
      env: {
        CUSTOMER_LOYALTY_CARD_SERVICE: JSON.stringify({
          provider: 'http',
          options: { base_url: baseUrl, timeout_ms: 300, read_retries: 1, retry_delay_ms: 1, breaker_failures: 100 },
          is_sync: true,
        }),
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });
  beforeEach(() => {
    fake.fault = 'none';
  });

  it('asks the provider for points once within two minutes, again after an update and after expiry', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const created = await enrolWithCode(app, me, profile(me.email, phone));
    expect(created.status).toBe(201);
    const number = created.body.card.attributes.account_number as string;
    fake.accounts.get(number)!.points = 150;
    const pointCalls = () => fake.callsTo(new RegExp(`GET /accounts/${number}/points/`));
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(150);
    fake.accounts.get(number)!.points = 175;
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(150);
    expect(pointCalls()).toBe(1);
    const { email: _email, ...changes } = profile(me.email, phone);
    expect((await me.post('/loyalty-card/update_loyalty_card/', changes)).status).toBe(200);
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(175);
    expect(pointCalls()).toBe(2);
    fake.accounts.get(number)!.points = 200;
    clock.advanceMs(120_000);
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(200);
    expect(pointCalls()).toBe(3);
  });

  it('reports a slow provider as a translated error within the timeout, with the card and 0 points', async () => {
    const me = await customer(app);
    const created = await enrolWithCode(app, me, profile(me.email, uniquePhone()));
    expect(created.status).toBe(201);
    fake.fault = 'slow';
    fake.slowMs = 3_000;
    const started = Date.now();
    const detail = await me.get('/loyalty-card/loyalty_card/', { 'Accept-Language': 'fr' });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(detail.body).toMatchObject({ card: { pk: created.body.card.pk }, points: 0 });
    expect(detail.body.errors).toBe(
      'Vos points n’ont pas pu être chargés pour le moment. Veuillez réessayer plus tard.',
    );
  });

  it('creates nothing when the provider fails during enrolment, and one account on the retry', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const data = profile(me.email, phone);
    expect((await me.post('/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
    const code = await lastCode(app, phone);
    fake.fault = 'error500';
    const failed = await me.post('/loyalty-card/add_loyalty_card/', { ...data, code }, { 'Accept-Language': 'tr' });
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({
      detail: 'Sadakat sistemine şu anda ulaşılamıyor. Lütfen daha sonra tekrar deneyin.',
      code: 'loyalty_provider_unavailable',
    });
    expect((await me.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
    fake.fault = 'none';
    expect((await me.post('/loyalty-card/add_loyalty_card/', { ...data, code })).status).toBe(201);
    expect([...fake.accounts.values()].filter((a) => a.phone === phone)).toHaveLength(1);
  });

  it('links an account that exists only in the external system, by a phone the user verified', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    // The user proves the phone with a code (enrolling), then leaves; the shop's external system later has an
    // account with that phone (say, made in a store).
    expect((await enrolWithCode(app, me, profile(me.email, phone))).status).toBe(201);
    expect((await me.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    fake.add({ ...profile('in-store@example.com', phone), gender: 'male', call_allowed: null }, 40);
    const linked = await me.post('/loyalty-card/search_exists_create/', { email: me.email });
    expect([linked.status, linked.body]).toEqual([201, { number: phone }]);
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(40);
  });
});

describe('loyalty-card back-office views', () => {
  let storefront: TestApp;
  let omnitron: TestApp;
  let token: string;

  beforeAll(async () => {
    storefront = await startTestApp('storefront');
    omnitron = await startTestApp('omnitron', { databaseUrl: storefront.config.databaseUrl });
    token = (await newStaff(omnitron, { superuser: true })).token;
  });
  afterAll(async () => {
    await omnitron.close();
    await storefront.close();
  });

  const admin = (path: string, json?: unknown) =>
    omnitron.http.request(`/api/v1/remote/1/${path}`, {
      method: json === undefined ? 'GET' : 'PATCH',
      json,
      headers: { Authorization: `Token ${token}`, 'Accept-Language': 'en' },
    });

  it('lists the SMS outbox and sets points of a local provider account, which the customer then sees', async () => {
    const me = await customer(storefront);
    const phone = uniquePhone();
    await me.post('/loyalty-card/add_loyalty_card/', profile(me.email, phone));
    const messages = await admin('sms_messages/');
    expect(messages.status).toBe(200);
    expect(messages.body.results[0]).toMatchObject({ phone, body: expect.stringMatching(/\d{4}$/) });

    const created = await me.post('/loyalty-card/add_loyalty_card/', {
      ...profile(me.email, phone),
      code: await lastCode(storefront, phone),
    });
    const number = created.body.card.attributes.account_number as string;
    const accounts = await admin(`loyalty_provider_accounts/?email=${encodeURIComponent(me.email)}`);
    expect(accounts.body.results).toEqual([expect.objectContaining({ account_number: number, points: 0 })]);
    const set = await admin(`loyalty_provider_accounts/${number}/`, { points: 320 });
    expect([set.status, set.body.points]).toEqual([200, 320]);
    expect((await admin(`loyalty_provider_accounts/${number}/`, { points: -1 })).status).toBe(400);
    expect((await me.get('/loyalty-card/loyalty_card/')).body.points).toBe(320);
  });

  it('needs a staff token', async () => {
    const response = await omnitron.http.get('/api/v1/remote/1/sms_messages/', { 'Accept-Language': 'en' });
    expect(response.status).toBe(401);
  });
});

describe('loyalty cards when the channel does not verify by SMS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront');
    await app.app.get(DynamicSettingsService).patch(1, { VERIFY_SMS: false });
  });
  afterAll(() => app.close());

  it('creates the card on the first post, without a code', async () => {
    const me = await customer(app);
    const phone = uniquePhone();
    const response = await me.post('/loyalty-card/add_loyalty_card/', profile(me.email, phone));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      card: { number: phone, user: { attributes: { has_loyalty: true } } },
      redirect_url: 'omnishop_loyaltycard:loyalty-card',
    });
    const sent = await app.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM sms_message WHERE phone = $1', [phone]);
    expect(sent[0].n).toBe(0);
  });
});
