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

  /**
   * One round: 16 new customers enrol at once against a provider that holds its answers; the pool is sampled once all
   * 16 calls have arrived. Answers are always released (a failed round must not leave requests hanging).
   */
  async function round(): Promise<{
    arrived: number;
    inUse: number[];
    unrelated: number;
    unrelatedMs: number;
    answers: number[];
  }> {
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
    try {
      // Sample the pool while every enrolment is inside a provider call (the fake counts calls as they arrive).
      const deadline = Date.now() + 2_400;
      while (fake.calls.length - callsBefore < 16 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const arrived = fake.calls.length - callsBefore;
      const inUse: number[] = [];
      let unrelated = 0;
      let unrelatedMs = 0;
      if (arrived === 16) {
        const unrelatedStarted = Date.now();
        unrelated = (await customers[0].get('/current_user/')).status;
        unrelatedMs = Date.now() - unrelatedStarted;
        for (let i = 0; i < 10; i++) {
          inUse.push(pool.totalCount - pool.idleCount);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
      release();
      const answers = (await enrolments).map((a) => a.status);
      return { arrived, inUse, unrelated, unrelatedMs, answers };
    } finally {
      release();
      await enrolments.catch(() => undefined);
      fake.hold = undefined;
      fake.fault = 'none';
    }
  }

  it('holds no pooled connection while 16 enrolments wait on the provider, and answers each 201', async () => {
    // A loaded machine (the whole suite on two cores) can spread the 16 calls over more than the client's 3 s
    // timeout; such a round proves nothing either way, so it is run again, at most three times in all.
    let result = await round();
    for (let attempt = 2; attempt <= 3 && result.arrived < 16; attempt++) {
      process.stdout.write(
        `slow provider: only ${result.arrived} of 16 calls arrived within 2.4 s; round ${attempt}\n`,
      );
      result = await round();
    }
    expect(result.arrived).toBe(16);
    process.stdout.write(
      `slow provider: an unrelated request took ${result.unrelatedMs} ms while 16 enrolments waited; pool in use ${JSON.stringify(result.inUse)}\n`,
    );
    expect(result.unrelated).toBe(200);
    expect(result.inUse.every((n) => n === 0)).toBe(true);
    expect(result.answers).toEqual(Array.from({ length: 16 }, () => 201));
  }, 60_000);
});
