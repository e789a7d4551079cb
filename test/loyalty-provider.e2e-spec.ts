import { createServer } from 'node:net';
import { ManualClock } from '@app/common';
import {
  HttpLoyaltyProvider,
  type HttpLoyaltyProviderOptions,
  LoyaltyProviderError,
} from '../libs/loyalty-card/src/provider/http-loyalty-provider';
import type { ExternalProfile } from '../libs/loyalty-card/src/provider/loyalty-provider';
import { FakeLoyaltyProvider } from './helpers/fake-loyalty-provider';

const PROFILE: ExternalProfile = {
  first_name: 'John',
  last_name: 'Doe',
  email: 'john@example.com',
  phone: '+966123457799',
  gender: 'male',
  date_of_birth: '1990-12-10',
  email_allowed: false,
  sms_allowed: true,
  call_allowed: null,
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

describe(HttpLoyaltyProvider.name, () => {
  const fake = new FakeLoyaltyProvider();
  let baseUrl: string;
  let clock: ManualClock;
  const options = (overrides: Partial<HttpLoyaltyProviderOptions> = {}): HttpLoyaltyProviderOptions => ({
    baseUrl,
    timeoutMs: 300,
    readRetries: 2,
    retryDelayMs: 1,
    breakerFailureThreshold: 5,
    breakerOpenMs: 30_000,
    ...overrides,
  });

  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.fault = 'none';
    fake.calls.length = 0;
    fake.accounts.clear();
    clock = new ManualClock();
  });

  it('creates, finds, reads, updates and deactivates an account over the wire format', async () => {
    const provider = new HttpLoyaltyProvider(options(), clock);
    const created = await provider.create(1, PROFILE);
    expect(created).toMatchObject({ ...PROFILE, active: true });
    expect(await provider.search(1, { email: 'JOHN@example.com' })).toEqual([created]);
    fake.accounts.get(created.account_number)!.points = 150;
    expect(await provider.points(created.account_number)).toBe(150);
    const updated = await provider.update(created.account_number, { ...PROFILE, last_name: 'Smith' });
    expect(updated.last_name).toBe('Smith');
    await provider.deactivate(created.account_number);
    expect(await provider.search(1, { email: PROFILE.email })).toEqual([]);
  });

  it('gives up on a slow provider within the timeout, retrying reads a bounded number of times', async () => {
    fake.fault = 'slow';
    fake.slowMs = 2_000;
    const provider = new HttpLoyaltyProvider(options({ timeoutMs: 200, readRetries: 2 }), clock);
    const started = Date.now();
    await expect(provider.points('1')).rejects.toMatchObject({ failure: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(fake.callsTo(/GET \/accounts\/1\/points\//)).toBe(3);
  });

  it('never repeats a write, even when it fails', async () => {
    fake.fault = 'error500';
    const provider = new HttpLoyaltyProvider(options(), clock);
    await expect(provider.create(1, PROFILE)).rejects.toMatchObject({ failure: 'unavailable' });
    expect(fake.callsTo(/POST \/accounts\//)).toBe(1);
  });

  it('refuses a malformed body instead of guessing', async () => {
    fake.fault = 'malformed';
    const provider = new HttpLoyaltyProvider(options({ readRetries: 0 }), clock);
    await expect(provider.search(1, { email: 'a@b.co' })).rejects.toMatchObject({ failure: 'malformed' });
  });

  it('reports a refused connection as unavailable', async () => {
    const provider = new HttpLoyaltyProvider(
      options({ baseUrl: `http://127.0.0.1:${await closedPort()}/`, readRetries: 1 }),
      clock,
    );
    await expect(provider.points('1')).rejects.toBeInstanceOf(LoyaltyProviderError);
    await expect(provider.points('1')).rejects.toMatchObject({ failure: 'unavailable' });
  });

  it('stops calling a failing provider until the breaker lets a trial through', async () => {
    fake.fault = 'error500';
    const provider = new HttpLoyaltyProvider(options({ readRetries: 0, breakerFailureThreshold: 2 }), clock);
    await expect(provider.points('1')).rejects.toMatchObject({ failure: 'unavailable' });
    await expect(provider.points('1')).rejects.toMatchObject({ failure: 'unavailable' });
    await expect(provider.points('1')).rejects.toMatchObject({ failure: 'circuit_open' });
    expect(fake.calls).toHaveLength(2);
    fake.fault = 'none';
    fake.add(PROFILE, 7);
    clock.advanceMs(30_000);
    const number = [...fake.accounts.keys()][0];
    await expect(provider.points(number)).resolves.toBe(7);
  });
});
