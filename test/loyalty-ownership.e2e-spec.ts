import { DataSource } from 'typeorm';
import { DynamicSettingsService } from '@app/settings';
import { FakeLoyaltyProvider } from './helpers/fake-loyalty-provider';
import { uniqueEmail } from './helpers/identity';
import { customer, enrolWithCode, lastCode, profile, uniquePhone, httpProviderEnv } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 12, part 2: an existing external loyalty account is linked only to a customer who proved, by an SMS code
 * sent to it in this flow, that they hold the account's phone. E-mails (registration confirms none) and phones
 * typed into a profile or a form prove nothing, block no one and never count as taken. Each attack below linked
 * or blocked someone else's membership before.
 */
const NOT_FOUND = { message: 'not find remote account' };

/** A member of the `local` provider in channel 1 with points, and no shop account linked to it. */
async function localMember(app: TestApp, points = 700) {
  const email = uniqueEmail('member');
  const phone = uniquePhone();
  const accountNumber = String(8_000_000_000 + Math.floor(Math.random() * 999_999_999));
  await app.app.get(DataSource).query(
    `INSERT INTO local_loyalty_account
       (channel_id, account_number, email, phone, first_name, last_name, gender, points)
     VALUES (1, $1, $2, $3, 'Mem', 'Ber', 'female', $4)`,
    [accountNumber, email, phone, points],
  );
  return { email, phone, accountNumber };
}

async function cardsOn(app: TestApp, accountNumber: string): Promise<number> {
  const rows: { n: number }[] = await app.app
    .get(DataSource)
    .query('SELECT count(*)::int AS n FROM loyalty_card WHERE account_number = $1', [accountNumber]);
  return rows[0].n;
}

async function localAccountOf(app: TestApp, accountNumber: string) {
  const rows: { email: string; phone: string }[] = await app.app
    .get(DataSource)
    .query('SELECT email, phone FROM local_loyalty_account WHERE account_number = $1', [accountNumber]);
  return rows[0];
}

describe('proof of ownership before a loyalty membership is linked (local provider)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp('storefront');
  });
  afterAll(() => app.close());

  const settings = () => app.app.get(DynamicSettingsService);

  it('(a) a member’s phone typed into one’s profile links nothing, by search or by add_loyalty_card_otp', async () => {
    const member = await localMember(app);
    const attacker = await customer(app);
    expect((await attacker.patch('/users/profile/', { phone: member.phone })).status).toBe(200);

    const search = await attacker.post('/loyalty-card/search_exists_create/', {
      email: attacker.email,
      phone: member.phone,
    });
    expect([search.status, search.body]).toEqual([200, NOT_FOUND]);
    const byEmail = await attacker.post('/loyalty-card/search_exists_create/', { email: member.email });
    expect([byEmail.status, byEmail.body]).toEqual([200, NOT_FOUND]);

    const otp = await attacker.post('/loyalty-card/add_loyalty_card_otp/', profile(member.email, member.phone));
    expect([otp.status, otp.body.code]).toEqual([400, 'phone_not_verified']);
    expect(await cardsOn(app, member.accountNumber)).toBe(0);
    expect((await attacker.get('/loyalty-card/loyalty_card/')).body).toMatchObject({ card: null, points: 0 });
  });

  it('(b) add_loyalty_card_otp with SMS verification on needs a phone this user verified: no card from a bare phone', async () => {
    const attacker = await customer(app);
    const phone = uniquePhone();
    const response = await attacker.post('/loyalty-card/add_loyalty_card_otp/', profile(attacker.email, phone));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'phone_not_verified', field_errors: { phone: [expect.any(String)] } });
    const made: { n: number }[] = await app.app
      .get(DataSource)
      .query('SELECT count(*)::int AS n FROM local_loyalty_account WHERE phone = $1', [phone]);
    expect(made[0].n).toBe(0);
    expect((await attacker.get('/loyalty-card/loyalty_card/')).body.card).toBeNull();
  });

  it('(c) enrolling with someone else’s e-mail in the body uses one’s own e-mail, and blocks nobody', async () => {
    const victimEmail = uniqueEmail('victim');
    const attacker = await customer(app);
    const attackerPhone = uniquePhone();
    const attacked = await enrolWithCode(app, attacker, profile(victimEmail, attackerPhone));
    expect(attacked.status).toBe(201);
    const attackerAccount = await localAccountOf(app, attacked.body.card.attributes.account_number as string);
    expect(attackerAccount.email).toBe(attacker.email);

    const victim = await customer(app, victimEmail);
    const victimPhone = uniquePhone();
    const enrolled = await enrolWithCode(app, victim, profile(victimEmail, victimPhone));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.card.attributes.account_number).not.toBe(attacked.body.card.attributes.account_number);
    expect(await localAccountOf(app, enrolled.body.card.attributes.account_number as string)).toEqual({
      email: victimEmail,
      phone: victimPhone,
    });
  });

  it('(d) a phone written into one’s own profile does not make another customer’s phone taken', async () => {
    const phone = uniquePhone();
    const squatter = await customer(app);
    expect((await squatter.patch('/users/profile/', { phone })).status).toBe(200);
    const owner = await customer(app);
    const enrolled = await enrolWithCode(app, owner, profile(owner.email, phone));
    expect(enrolled.status).toBe(201);
    // The squatter's unverified card phone does not block the owner's profile update either.
    const squatterPhone = uniquePhone();
    expect((await enrolWithCode(app, squatter, profile(squatter.email, squatterPhone))).status).toBe(201);
    const { email: _e, ...update } = profile(squatter.email, phone);
    expect((await squatter.post('/loyalty-card/update_loyalty_card/', update)).status).toBe(400);
    const { email: _o, ...ownerUpdate } = profile(owner.email, phone);
    expect((await owner.post('/loyalty-card/update_loyalty_card/', ownerUpdate)).status).toBe(200);
  });

  it('(e) registering with a member’s e-mail, then enrolling, never reaches the member’s account', async () => {
    const member = await localMember(app);
    const attacker = await customer(app, member.email);
    const search = await attacker.post('/loyalty-card/search_exists_create/', { email: member.email });
    expect([search.status, search.body]).toEqual([200, NOT_FOUND]);
    const otp = await attacker.post('/loyalty-card/add_loyalty_card_otp/', profile(member.email, member.phone));
    expect(otp.body.code).toBe('phone_not_verified');
    const enrolled = await enrolWithCode(app, attacker, profile(member.email, uniquePhone()));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.card.attributes.account_number).not.toBe(member.accountNumber);
    expect((await attacker.get('/loyalty-card/loyalty_card/')).body.points).toBe(0);
    expect(await cardsOn(app, member.accountNumber)).toBe(0);
  });

  it('links the member’s account to whoever proves its phone with a code, with its points', async () => {
    const member = await localMember(app, 650);
    const holder = await customer(app);
    const enrolled = await enrolWithCode(app, holder, profile(holder.email, member.phone));
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.card.attributes.account_number).toBe(member.accountNumber);
    expect((await holder.get('/loyalty-card/loyalty_card/')).body.points).toBe(650);
  });

  it('search_exists_create links only by a verified phone, and says nothing of a phone not verified', async () => {
    const holder = await customer(app);
    const phone = uniquePhone();
    expect((await enrolWithCode(app, holder, profile(holder.email, phone))).status).toBe(201);
    expect((await holder.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    const member = await localMember(app, 90);
    await app.app
      .get(DataSource)
      .query('UPDATE local_loyalty_account SET phone = $1 WHERE account_number = $2', [phone, member.accountNumber]);
    const other = await holder.post('/loyalty-card/search_exists_create/', {
      email: holder.email,
      phone: uniquePhone(),
    });
    expect([other.status, other.body]).toEqual([200, NOT_FOUND]);
    const linked = await holder.post('/loyalty-card/search_exists_create/', { email: holder.email, phone });
    expect([linked.status, linked.body]).toEqual([201, { number: phone }]);
    expect((await holder.get('/loyalty-card/loyalty_card/')).body.points).toBe(90);
  });

  it('a newer proof of a phone supersedes an older one: the earlier holder neither blocks nor links it', async () => {
    const phone = uniquePhone();
    const old = await customer(app);
    expect((await enrolWithCode(app, old, profile(old.email, phone))).status).toBe(201);
    expect((await old.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    // The number changes hands: its new holder proves it.
    const holder = await customer(app);
    const enrolled = await enrolWithCode(app, holder, profile(holder.email, phone));
    expect(enrolled.status).toBe(201);
    expect((await holder.post('/loyalty-card/delete_loyalty/')).status).toBe(204);
    const member = await localMember(app, 333);
    await app.app
      .get(DataSource)
      .query('UPDATE local_loyalty_account SET phone = $1 WHERE account_number = $2', [phone, member.accountNumber]);
    const stale = await old.post('/loyalty-card/search_exists_create/', { email: old.email, phone });
    expect([stale.status, stale.body]).toEqual([200, NOT_FOUND]);
    const otp = await old.post('/loyalty-card/add_loyalty_card_otp/', profile(old.email, phone));
    expect(otp.body.code).toBe('phone_not_verified');
    const linked = await holder.post('/loyalty-card/search_exists_create/', { email: holder.email, phone });
    expect([linked.status, linked.body]).toEqual([201, { number: phone }]);
  });

  it('update_loyalty_card takes a new phone only when this customer verified it (a leading + or not)', async () => {
    const victimPhone = uniquePhone();
    const attacker = await customer(app);
    const own = uniquePhone();
    expect((await enrolWithCode(app, attacker, profile(attacker.email, own))).status).toBe(201);
    const { email: _e, ...update } = profile(attacker.email, victimPhone);
    const planted = await attacker.post('/loyalty-card/update_loyalty_card/', update);
    expect([planted.status, planted.body.code]).toEqual([400, 'phone_not_verified']);
    // The same phone without its +: the same phone, still this customer's.
    const { email: _f, ...same } = profile(attacker.email, own.replace(/^\+/, ''));
    expect((await attacker.post('/loyalty-card/update_loyalty_card/', same)).status).toBe(200);
  });

  describe('with SMS verification off', () => {
    beforeAll(() => settings().patch(1, { VERIFY_SMS: false }));
    afterAll(() => settings().patch(1, { VERIFY_SMS: true }));

    it('add_loyalty_card_otp creates a new account (own e-mail, no verified_user) instead of linking a member’s', async () => {
      const member = await localMember(app);
      const attacker = await customer(app);
      const response = await attacker.post('/loyalty-card/add_loyalty_card_otp/', profile(member.email, member.phone));
      expect(response.status).toBe(201);
      expect(response.body.card.attributes.account_number).not.toBe(member.accountNumber);
      expect(response.body.card.user.attributes.verified_user).toBeUndefined();
      expect(await localAccountOf(app, response.body.card.attributes.account_number as string)).toMatchObject({
        email: attacker.email,
      });
      expect(await cardsOn(app, member.accountNumber)).toBe(0);
      // The phone it used is unverified: the member can still prove it and link their own account.
      await settings().patch(1, { VERIFY_SMS: true });
      try {
        const holder = await customer(app);
        const enrolled = await enrolWithCode(app, holder, profile(holder.email, member.phone));
        expect([enrolled.status, enrolled.body.card?.attributes?.account_number]).toEqual([201, member.accountNumber]);
      } finally {
        await settings().patch(1, { VERIFY_SMS: false });
      }
    });
  });
});

describe('proof of ownership before a loyalty membership is linked (http provider)', () => {
  const fake = new FakeLoyaltyProvider();
  let app: TestApp;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    app = await startTestApp('storefront', {
      env: httpProviderEnv(baseUrl, { timeout_ms: 1_000, read_retries: 1, retry_delay_ms: 1 }, false),
    });
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });

  it('links the external account only to the customer who verified its phone', async () => {
    const memberEmail = uniqueEmail('external');
    const memberPhone = uniquePhone();
    const account = fake.add({ ...profile(memberEmail, memberPhone), gender: 'female', call_allowed: null }, 1_234);

    const attacker = await customer(app, memberEmail);
    const search = await attacker.post('/loyalty-card/search_exists_create/', {
      email: memberEmail,
      phone: memberPhone,
    });
    expect([search.status, search.body]).toEqual([200, NOT_FOUND]);
    const otp = await attacker.post('/loyalty-card/add_loyalty_card_otp/', profile(memberEmail, memberPhone));
    expect(otp.body.code).toBe('phone_not_verified');
    const attackerPhone = uniquePhone();
    const own = await enrolWithCode(app, attacker, profile(memberEmail, attackerPhone));
    expect(own.status).toBe(201);
    expect(own.body.card.attributes.account_number).not.toBe(account.account_number);
    expect((await attacker.get('/loyalty-card/loyalty_card/')).body.points).toBe(0);

    const holder = await customer(app);
    const first = await holder.post('/loyalty-card/add_loyalty_card/', profile(holder.email, memberPhone));
    expect(first.status).toBe(202);
    const code = await lastCode(app, memberPhone);
    const linked = await holder.post('/loyalty-card/add_loyalty_card/', {
      ...profile(holder.email, memberPhone),
      code,
    });
    expect([linked.status, linked.body.card?.attributes?.account_number]).toEqual([201, account.account_number]);
    expect((await holder.get('/loyalty-card/loyalty_card/')).body.points).toBe(1_234);
  });
});
