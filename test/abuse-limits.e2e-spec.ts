import { DataSource } from 'typeorm';
import { StaffService } from '@app/identity';
import type { HttpResponse } from './helpers/http';
import { PASSWORD, register, uniqueEmail } from './helpers/identity';
import { newCustomer } from './helpers/fixtures';
import { LANG, lastCode, profile, uniquePhone } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Abuse limits (issue 14): every "at most N" rule is consumed atomically in the store the instances share, each
 * per-account limit is keyed on the identity the endpoint checks, and strangers cannot lock an owner out.
 */

const ACCOUNT_LIMIT = 4;
const ACCOUNT_CEILING = 10;
const CODE_ATTEMPTS_MAX = 5;
const SENDS_PER_HOUR_MAX = 5;
/** Requests sent at once in the concurrency tests: far above each limit, so a lost update shows. */
const AT_ONCE = 15;

const WRONG_CODE = 'The verification code is not correct.';
const ATTEMPTS_USED_UP = 'Too many wrong codes. Please request a new code.';

const BASE_ENV = {
  AUTH_THROTTLE_ACCOUNT_LIMIT: String(ACCOUNT_LIMIT),
  AUTH_THROTTLE_ACCOUNT_CEILING: String(ACCOUNT_CEILING),
  // Out of the way: these tests are about the per-account and per-code limits, all sent from 127.0.0.1.
  AUTH_THROTTLE_IP_LIMIT: '10000',
  SMS_CODE_ATTEMPTS_MAX: String(CODE_ATTEMPTS_MAX),
  SMS_SENDS_PER_HOUR_MAX: String(SENDS_PER_HOUR_MAX),
};

const REDIS_URL = process.env.REDIS_URL;
if (!REDIS_URL) {
  process.stdout.write('abuse-limits: the cases with two instances sharing Redis are skipped: REDIS_URL is not set\n');
}

interface Setup {
  name: string;
  instances: 1 | 2;
  /** undefined: whatever the run uses; '': PostgreSQL only; a URL: that Redis. */
  redisUrl: string | undefined;
  enabled: boolean;
}

const SETUPS: Setup[] = [
  { name: 'one instance', instances: 1, redisUrl: undefined, enabled: true },
  { name: 'two instances sharing PostgreSQL (no Redis)', instances: 2, redisUrl: '', enabled: true },
  { name: 'two instances sharing Redis', instances: 2, redisUrl: REDIS_URL, enabled: REDIS_URL !== undefined },
];

/** Boots the instances of a setup on one database and one Redis key space, as behind a load balancer. */
async function startInstances(setup: Setup, env: Record<string, string> = {}): Promise<TestApp[]> {
  const all = {
    ...BASE_ENV,
    REDIS_KEY_PREFIX: `test:abuse:${process.pid}:${Math.random().toString(36).slice(2)}:`,
    ...(setup.redisUrl !== undefined ? { REDIS_URL: setup.redisUrl } : {}),
    ...env,
  };
  const first = await startTestApp('storefront', { env: all });
  if (setup.instances === 1) return [first];
  return [first, await startTestApp('storefront', { env: all, databaseUrl: first.config.databaseUrl })];
}

/** A signed-in customer whose requests can go to any instance (the session is shared). */
interface Customer {
  email: string;
  post(app: TestApp, path: string, json: unknown): Promise<HttpResponse<any>>;
  get(app: TestApp, path: string): Promise<HttpResponse<any>>;
}

/** `newCustomer` on one instance, its requests sent to any of them. */
async function signedIn(app: TestApp, email = uniqueEmail('abuse')): Promise<Customer> {
  const { headers } = await newCustomer(app, { email });
  return {
    email,
    post: (on, path, json) => on.http.request(path, { json, headers }),
    get: (on, path) => on.http.get(path, headers),
  };
}

const codeError = (response: HttpResponse<any>): string | undefined => response.body?.field_errors?.code?.[0];

async function smsCount(app: TestApp, phone: string): Promise<number> {
  const rows = await app.app
    .get(DataSource)
    .query<{ n: number }[]>('SELECT count(*)::int AS n FROM sms_message WHERE phone = $1', [phone]);
  return rows[0].n;
}

const statusCounts = (responses: HttpResponse[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

for (const setup of SETUPS) {
  const describeSetup = setup.enabled ? describe : describe.skip;

  describeSetup(`SMS codes, atomically: ${setup.name}`, () => {
    let apps: TestApp[];
    /** The instance for the i-th request: round robin. */
    const on = (i: number): TestApp => apps[i % apps.length];

    beforeAll(async () => {
      // The per-user failure limit out of the way: these tests are about the SMS rules alone.
      apps = await startInstances(setup, {
        AUTH_THROTTLE_ACCOUNT_LIMIT: '1000',
        AUTH_THROTTLE_ACCOUNT_CEILING: '1000',
      });
    });
    afterAll(async () => {
      for (const app of [...(apps ?? [])].reverse()) await app.close();
    });

    it(`${AT_ONCE} distinct wrong codes at once are at most ${CODE_ATTEMPTS_MAX} tries; the right code is then refused`, async () => {
      const me = await signedIn(on(0));
      const data = profile(me.email, uniquePhone());
      expect((await me.post(on(0), '/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
      const right = await lastCode(on(0), data.phone);
      const wrong = (n: number) => String((Number(right) + n) % 10_000).padStart(4, '0');

      const answers = await Promise.all(
        Array.from({ length: AT_ONCE }, (_, i) =>
          me.post(on(i), '/loyalty-card/add_loyalty_card/', { ...data, code: wrong(i + 1) }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 400));
      const messages = answers.map(codeError);
      const saidWrong = messages.filter((m) => m === WRONG_CODE).length;
      const saidUsedUp = messages.filter((m) => m === ATTEMPTS_USED_UP).length;
      expect(saidWrong).toBeLessThanOrEqual(CODE_ATTEMPTS_MAX);
      expect(saidWrong + saidUsedUp).toBe(AT_ONCE);

      const thenRight = await me.post(on(1), '/loyalty-card/add_loyalty_card/', { ...data, code: right });
      expect(thenRight.status).toBe(400);
      expect((await me.get(on(0), '/loyalty-card/loyalty_card/')).body.card).toBeNull();
    });

    it('counts the same wrong code posted four times at once (client retries) as one try', async () => {
      const me = await signedIn(on(0));
      const data = profile(me.email, uniquePhone());
      expect((await me.post(on(0), '/loyalty-card/add_loyalty_card/', data)).status).toBe(202);
      const right = await lastCode(on(0), data.phone);
      const wrong = (n: number) => String((Number(right) + n) % 10_000).padStart(4, '0');
      const retried = await Promise.all(
        [0, 1, 2, 3].map((i) => me.post(on(i), '/loyalty-card/add_loyalty_card/', { ...data, code: wrong(1) })),
      );
      expect(retried.map(codeError)).toEqual([WRONG_CODE, WRONG_CODE, WRONG_CODE, WRONG_CODE]);
      for (let n = 2; n < CODE_ATTEMPTS_MAX; n++) {
        const answer = await me.post(on(n), '/loyalty-card/add_loyalty_card/', { ...data, code: wrong(n) });
        expect(codeError(answer)).toBe(WRONG_CODE);
      }
      // Four distinct wrong codes so far: the fifth try is the right code, and it is accepted.
      const created = await me.post(on(1), '/loyalty-card/add_loyalty_card/', { ...data, code: right });
      expect(created.status).toBe(201);
    });

    it(`${AT_ONCE} code requests of one user at once send one code (the resend interval)`, async () => {
      const me = await signedIn(on(0));
      const data = profile(me.email, uniquePhone());
      const answers = await Promise.all(
        Array.from({ length: AT_ONCE }, (_, i) => me.post(on(i), '/loyalty-card/add_loyalty_card/', data)),
      );
      // The first sends; the others are a repeat of it (202, nothing sent) or too soon (429).
      for (const answer of answers) expect([202, 429]).toContain(answer.status);
      expect(await smsCount(on(0), data.phone)).toBe(1);
    });

    it(`${AT_ONCE} users asking for a code to one phone at once get at most ${SENDS_PER_HOUR_MAX} codes sent`, async () => {
      const phone = uniquePhone();
      const users = await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => signedIn(on(i))));
      const answers = await Promise.all(
        users.map((user, i) => user.post(on(i), '/loyalty-card/add_loyalty_card/', profile(user.email, phone))),
      );
      expect(statusCounts(answers)).toEqual({ 202: SENDS_PER_HOUR_MAX, 429: AT_ONCE - SENDS_PER_HOUR_MAX });
      expect(answers.filter((a) => a.status === 429).map((a) => a.body.code)).toEqual(
        Array.from({ length: AT_ONCE - SENDS_PER_HOUR_MAX }, () => 'sms_limit_exceeded'),
      );
      expect(await smsCount(on(0), phone)).toBe(SENDS_PER_HOUR_MAX);
    });
  });

  describeSetup(`SMS codes an hour per user, atomically: ${setup.name}`, () => {
    let apps: TestApp[];
    beforeAll(async () => {
      // Without a resend interval only the hourly limit stands between one user and many codes.
      apps = await startInstances(setup, {
        SMS_RESEND_INTERVAL_MS: '0',
        AUTH_THROTTLE_ACCOUNT_LIMIT: '1000',
        AUTH_THROTTLE_ACCOUNT_CEILING: '1000',
      });
    });
    afterAll(async () => {
      for (const app of [...(apps ?? [])].reverse()) await app.close();
    });

    it(`sends at most ${SENDS_PER_HOUR_MAX} codes when one user asks ${AT_ONCE} times at once, to different phones`, async () => {
      const me = await signedIn(apps[0]);
      const phones = Array.from({ length: AT_ONCE }, () => uniquePhone());
      const answers = await Promise.all(
        phones.map((phone, i) =>
          me.post(apps[i % apps.length], '/loyalty-card/add_loyalty_card/', profile(me.email, phone)),
        ),
      );
      expect(statusCounts(answers)).toEqual({ 202: SENDS_PER_HOUR_MAX, 429: AT_ONCE - SENDS_PER_HOUR_MAX });
      let sent = 0;
      for (const phone of phones) sent += await smsCount(apps[0], phone);
      expect(sent).toBe(SENDS_PER_HOUR_MAX);
    });
  });

  describeSetup(`login failures, atomically: ${setup.name}`, () => {
    let apps: TestApp[];
    beforeAll(async () => {
      apps = await startInstances(setup);
    });
    afterAll(async () => {
      for (const app of [...(apps ?? [])].reverse()) await app.close();
    });

    it(`${AT_ONCE} wrong passwords for one account at once are at most ${ACCOUNT_LIMIT} checks`, async () => {
      const { email } = await register(apps[0].http);
      const answers = await Promise.all(
        Array.from({ length: AT_ONCE }, (_, i) =>
          apps[i % apps.length].http.request('/users/login/', {
            json: { email, password: `wrong ${i}` },
            headers: LANG,
          }),
        ),
      );
      expect(statusCounts(answers)).toEqual({ 400: ACCOUNT_LIMIT, 429: AT_ONCE - ACCOUNT_LIMIT });
    });
  });
}

describe('staff login: the limit is keyed on the username the login checks', () => {
  let omnitron: TestApp;
  const username = 'abuse-decoy-target';

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron', { env: BASE_ENV });
    await omnitron.app.get(StaffService).create({ username, password: PASSWORD, superuser: false, channelIds: [1] });
  });
  afterAll(() => omnitron.close());

  const login = (json: Record<string, unknown>) =>
    omnitron.http.request('/api/v1/auth/login/', { json, headers: LANG });

  it('ignores a decoy "email" field: wrong passwords are counted for the username, and it is locked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 6; i++) {
      const name = i % 2 === 0 ? username : `  ${username} `;
      statuses.push(
        (await login({ username: name, password: 'wrong password', email: `decoy${i}@example.com` })).status,
      );
    }
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(400), ...Array(6).fill(429)]);
    const right = await login({ username, password: PASSWORD, email: 'another-decoy@example.com' });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts failures only: a staff user signing in again and again is never locked', async () => {
    await omnitron.app
      .get(StaffService)
      .create({ username: 'abuse-busy', password: PASSWORD, superuser: false, channelIds: [1] });
    for (let i = 0; i < ACCOUNT_LIMIT * 2; i++) {
      expect((await login({ username: 'abuse-busy', password: PASSWORD })).status).toBe(200);
    }
  });
});

describe('customer login behind a proxy that is trusted (TRUST_PROXY=true)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { ...BASE_ENV, TRUST_PROXY: 'true' } });
  });
  afterAll(() => app.close());

  const login = (email: string, password: string, address: string) =>
    app.http.request('/users/login/', {
      json: { email, password },
      headers: { ...LANG, 'X-Forwarded-For': address },
    });

  it('a stranger failing from one address does not lock the owner out at another', async () => {
    const { email } = await register(app.http);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++)
      statuses.push((await login(email, 'wrong password', '203.0.113.7')).status);
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(400), 429, 429]);
    expect((await login(email, PASSWORD, '198.51.100.20')).status).toBe(200);
    // The stranger's address stays locked, even with the right password.
    expect((await login(email, PASSWORD, '203.0.113.7')).status).toBe(429);
  });

  it(`locks the account everywhere once ${ACCOUNT_CEILING} failures came from any addresses`, async () => {
    const { email } = await register(app.http);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_CEILING + 2; i++) {
      // Three tries from each address, under the per-address limit: only the ceiling can stop this.
      const address = `203.0.113.${10 + Math.floor(i / 3)}`;
      statuses.push((await login(email, 'wrong password', address)).status);
    }
    expect(statuses).toEqual([...Array(ACCOUNT_CEILING).fill(400), 429, 429]);
    const owner = await login(email, PASSWORD, '198.51.100.30');
    expect(owner.status).toBe(429);
    expect(Number(owner.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('requests that never check a password (a malformed login, a registration) count for nothing', async () => {
    const { email } = await register(app.http);
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++) {
      const malformed = await app.http.request('/users/login/', { json: { email }, headers: LANG });
      expect(malformed.status).toBe(400);
      const taken = await app.http.request('/users/registration/', { json: { email, password: 'x'.repeat(12) } });
      expect(taken.status).toBe(400);
    }
    expect((await login(email, PASSWORD, '127.0.0.1')).status).toBe(200);
  });

  it('counts failures only: an owner signing in again and again is never locked', async () => {
    const { email } = await register(app.http);
    for (let i = 0; i < ACCOUNT_LIMIT * 2; i++)
      expect((await login(email, PASSWORD, '198.51.100.40')).status).toBe(200);
  });
});

describe('customer login without a trusted proxy (TRUST_PROXY=false)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { ...BASE_ENV, TRUST_PROXY: 'false' } });
  });
  afterAll(() => app.close());

  it('reads no address from X-Forwarded-For: a forged one is no fresh bucket, and all callers share one address', async () => {
    const { email } = await register(app.http);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++) {
      const response = await app.http.request('/users/login/', {
        json: { email, password: 'wrong password' },
        headers: { ...LANG, 'X-Forwarded-For': `203.0.113.${i + 1}` },
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(400), 429, 429]);
    // Every caller comes from the proxy's address here, the owner too (see README, TRUST_PROXY).
    const owner = await app.http.request('/users/login/', {
      json: { email, password: PASSWORD },
      headers: { ...LANG, 'X-Forwarded-For': '198.51.100.50' },
    });
    expect(owner.status).toBe(429);
  });
});

describe('endpoints that need a session: the limit is keyed on the signed-in user', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('storefront', { env: BASE_ENV });
  });
  afterAll(() => app.close());

  /** A code post with no code pending: a failure (400) that touches nothing. */
  const failedEnrolment = (user: Customer, email: string) =>
    user.post(app, '/loyalty-card/add_loyalty_card/', { ...profile(email, uniquePhone()), code: '0000' });

  it('enrolment posts naming a victim’s e-mail do not lock the victim out of add_loyalty_card', async () => {
    const victim = await signedIn(app);
    const stranger = await signedIn(app);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++) statuses.push((await failedEnrolment(stranger, victim.email)).status);
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(400), 429, 429]);
    const own = await victim.post(app, '/loyalty-card/add_loyalty_card/', profile(victim.email, uniquePhone()));
    expect(own.status).toBe(202);
  });

  it('a different e-mail in each body is no fresh bucket: the signed-in user is', async () => {
    const me = await signedIn(app);
    const statuses: number[] = [];
    for (let i = 0; i < ACCOUNT_LIMIT + 2; i++) statuses.push((await failedEnrolment(me, uniqueEmail('decoy'))).status);
    expect(statuses).toEqual([...Array(ACCOUNT_LIMIT).fill(400), 429, 429]);
  });
});
