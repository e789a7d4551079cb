import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { DynamicSettingsService } from '@app/settings';
import { FakeLoyaltyProvider } from './helpers/fake-loyalty-provider';
import { customer, profile, uniquePhone, httpProviderEnv } from './helpers/loyalty-card';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 15, item 5: enrolment calls the loyalty provider with no pooled connection checked out and no transaction
 * open. A provider that answers after 2.5 s, 16 enrolments at once: no 5xx, and the pool's own counters show no
 * connection in use while the provider is waited on. The latency of an unrelated request is printed, not asserted.
 */
describe('enrolment against a slow loyalty provider', () => {
  const fake = new FakeLoyaltyProvider();
  let app: TestApp;

  beforeAll(async () => {
    const baseUrl = await fake.start();
    app = await startTestApp('storefront', {
      env: httpProviderEnv(baseUrl, { timeout_ms: 3_000, read_retries: 0, breaker_failures: 100 }, true),
    });
    await app.app.get(DynamicSettingsService).patch(1, { VERIFY_SMS: false });
  });
  afterAll(async () => {
    await app.close();
    await fake.stop();
  });

  it('holds no pooled connection while 16 enrolments wait on the provider, and answers each 201', async () => {
    const customers = await Promise.all(Array.from({ length: 16 }, () => customer(app)));
    const pool = (app.app.get(DataSource).driver as unknown as { master: Pool }).master;
    fake.slowMs = 2_500;
    fake.fault = 'slow';
    // Answers wait 2.5 s and until the pool has been sampled (within the client's 3 s timeout): on a loaded machine
    // the 16 calls arrive spread out, and an early answer would let its enrolment use the pool while others wait.
    let release = (): void => undefined;
    fake.hold = new Promise<void>((resolve) => (release = resolve));
    const callsBefore = fake.calls.length;
    const enrolments = Promise.all(
      customers.map((c) => c.post('/loyalty-card/add_loyalty_card_otp/', profile(c.email, uniquePhone()))),
    );
    // Sample the pool while every enrolment is inside a provider call (the fake counts calls as they arrive).
    const deadline = Date.now() + 2_400;
    while (fake.calls.length - callsBefore < 16 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(fake.calls.length - callsBefore).toBe(16);
    const inUse: number[] = [];
    const unrelatedStarted = Date.now();
    const unrelated = await customers[0].get('/current_user/');
    const unrelatedMs = Date.now() - unrelatedStarted;
    for (let i = 0; i < 10; i++) {
      inUse.push(pool.totalCount - pool.idleCount);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    release();
    const answers = await enrolments;
    fake.hold = undefined;
    fake.fault = 'none';
    process.stdout.write(
      `slow provider: an unrelated request took ${unrelatedMs} ms while 16 enrolments waited; pool in use ${JSON.stringify(inUse)}\n`,
    );
    expect(unrelated.status).toBe(200);
    expect(inUse.every((n) => n === 0)).toBe(true);
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 16 }, () => 201));
  });
});
