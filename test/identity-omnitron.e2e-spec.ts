import { ManualClock } from '@app/common';
import { StaffService } from '@app/identity';
import { runCli } from '../scripts/cli';
import { PASSWORD, register, uniqueEmail } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import { newChannel } from './helpers/fixtures';

const TOKEN_TTL_SECONDS = 3600;

describe('back-office staff and tokens', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  const clock = new ManualClock();
  let otherChannelId: number;
  let demo: Awaited<ReturnType<StaffService['ensureDemoStaff']>>;
  const logLines: string[] = [];

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron', {
      clock,
      env: { STAFF_TOKEN_TTL_SECONDS: String(TOKEN_TTL_SECONDS), LOG_LEVEL: 'trace' },
      logStream: { write: (line: string) => void logLines.push(line) },
    });
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    otherChannelId = (await newChannel(omnitron)).id;
    // A new installation: no staff yet.
    demo = await omnitron.app.get(StaffService).ensureDemoStaff();
    await omnitron.app.get(StaffService).create({
      username: 'channel1',
      password: PASSWORD,
      superuser: false,
      channelIds: [1],
    });
  });

  afterAll(async () => {
    await storefront.close();
    await omnitron.close();
  });

  const staffLogin = async (username: string, password = PASSWORD): Promise<string> => {
    const response = await omnitron.http.request('/api/v1/auth/login/', { json: { username, password } });
    expect(response.status).toBe(200);
    return response.body.key;
  };
  const users = (channel: number | string, token?: string, query = '') =>
    omnitron.http.get(`/api/v1/remote/${channel}/users/${query}`, {
      ...(token ? { Authorization: `Token ${token}` } : {}),
      'Accept-Language': 'en',
    });

  it('logs a staff user in with a token and refuses a wrong password', async () => {
    expect(await staffLogin('channel1')).toMatch(/^[0-9a-f]{64}$/);
    const wrong = await omnitron.http.request('/api/v1/auth/login/', {
      json: { username: 'channel1', password: 'nope nope' },
      headers: { 'Accept-Language': 'en' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({ detail: 'Unable to log in with provided credentials.', code: 'invalid_credentials' });
    expect(wrong.text).not.toContain('nope nope');
  });

  it('creates a demo superuser with a working token on a new installation, and only there', async () => {
    expect(demo).toEqual({
      username: 'admin',
      password: expect.any(String),
      token: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await users(otherChannelId, demo!.token)).status).toBe(200);
    expect(await staffLogin('admin', demo!.password)).toMatch(/^[0-9a-f]{64}$/);
    await expect(omnitron.app.get(StaffService).ensureDemoStaff()).resolves.toBeUndefined();
  });

  it('answers 401 without a token and with an unknown one', async () => {
    expect((await users(1)).status).toBe(401);
    expect((await users(1, 'f'.repeat(64))).status).toBe(401);
  });

  it('answers 404 for an unknown channel (999999) and one that is not a number (abc)', async () => {
    const token = await staffLogin('channel1');
    expect((await users(999_999, token)).status).toBe(404);
    expect((await users('abc', token)).status).toBe(404);
  });

  it('answers 403 for a channel the staff user may not use (channel_forbidden), 200 for its own', async () => {
    const token = await staffLogin('channel1');
    const forbidden = await users(otherChannelId, token);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'channel_forbidden' });
    expect((await users(1, token)).status).toBe(200);
  });

  it('finds users by e-mail (any case or a part) and pk, paginated', async () => {
    const token = await staffLogin('channel1');
    const email = uniqueEmail('Lookup');
    await register(storefront.http, email);
    await register(storefront.http);
    const exact = await users(1, token, `?email=${encodeURIComponent(email.toUpperCase())}`);
    expect(exact.body).toMatchObject({ count: 1, next: null, previous: null, results: [{ email }] });
    expect(exact.text).not.toMatch(/password|scrypt/);
    const pk = exact.body.results[0].pk;
    expect((await users(1, token, `?pk=${pk}`)).body.results.map((u: { pk: number }) => u.pk)).toEqual([pk]);
    const part = await users(1, token, `?email__icontains=lookup.${process.pid}`);
    expect(part.body.count).toBe(1);
    const paged = await users(1, token, '?page_size=1');
    expect(paged.body.results).toHaveLength(1);
    expect(paged.body.count).toBeGreaterThanOrEqual(2);
    expect(paged.body.next).toContain('page=2');
  });

  it('revokes a token on logout and expires tokens after their TTL', async () => {
    const token = await staffLogin('channel1');
    const out = await omnitron.http.request('/api/v1/auth/logout/', {
      method: 'POST',
      headers: { Authorization: `Token ${token}` },
    });
    expect(out.body).toEqual({ revoked: true });
    expect((await users(1, token)).status).toBe(401);

    const fresh = await staffLogin('channel1');
    clock.advanceMs(TOKEN_TTL_SECONDS * 1000 + 1);
    expect((await users(1, fresh)).status).toBe(401);
  });

  it('creates staff users from the command line; a superuser reaches every channel', async () => {
    const output = await runCli(['create-staff', '--username', 'cli-admin', '--password', PASSWORD, '--superuser'], {
      ...process.env,
      DATABASE_URL: omnitron.config.databaseUrl,
      LOG_LEVEL: 'silent',
    });
    expect(output).toContain('Created staff user cli-admin');
    expect(output).not.toContain(PASSWORD);
    const token = /API token \(shown once\): ([0-9a-f]{64})/.exec(output)![1];
    expect((await users(otherChannelId, token)).status).toBe(200);
    await expect(
      runCli(['create-staff', '--username', 'x', '--password', PASSWORD, '--channels', '1,a'], {
        DATABASE_URL: omnitron.config.databaseUrl,
      }),
    ).rejects.toThrow('--channels');
  });

  it('logs requests without passwords, hashes or tokens', () => {
    const all = logLines.join('');
    expect(all).toContain('/api/v1/auth/login/');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('scrypt$');
    expect(all).not.toContain(demo!.token);
  });
});
