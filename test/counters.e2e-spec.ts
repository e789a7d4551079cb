import { ManualClock } from '@app/common';
import { counterKey, Counters, PostgresCounters, RedisCounters } from '@app/database';
import { startTestApp, type TestApp } from './helpers/test-app';

/** Each store the counters can live in; Redis only where the run has one (REDIS_URL). */
const STORES: [string, string][] = [
  ['PostgreSQL', ''],
  ...(process.env.REDIS_URL ? [['Redis', process.env.REDIS_URL] as [string, string]] : []),
];
if (!process.env.REDIS_URL) process.stdout.write('counters: the Redis store is not tested: REDIS_URL is not set\n');

describe.each(STORES)('Counters in %s', (store, redisUrl) => {
  let app: TestApp;
  let counters: Counters;
  const clock = new ManualClock(new Date());
  let n = 0;
  const rule = (limit: number, windowMs = 60_000) => ({ key: counterKey('test:counter', ++n), limit, windowMs });

  beforeAll(async () => {
    app = await startTestApp('storefront', { clock, env: { REDIS_URL: redisUrl } });
    counters = app.app.get(Counters);
  });
  afterAll(() => app.close());

  it('is the store the settings name', () => {
    expect(counters).toBeInstanceOf(store === 'Redis' ? RedisCounters : PostgresCounters);
  });

  it('allows `limit` tries in a window, refuses the next without counting it, and starts over after it', async () => {
    const r = rule(3);
    const tries = [];
    for (let i = 0; i < 5; i++) tries.push(await counters.consume(r));
    expect(tries.map((t) => [t.allowed, t.count])).toEqual([
      [true, 1],
      [true, 2],
      [true, 3],
      [false, 3],
      [false, 3],
    ]);
    expect(tries[4].resetAtMs).toBe(clock.nowMs() + 60_000);
    clock.advanceMs(60_000);
    expect(await counters.consume(r)).toMatchObject({ allowed: true, count: 1 });
  });

  it('counts a member once per window', async () => {
    const r = rule(2);
    expect(await counters.consume(r, 'a')).toMatchObject({ allowed: true, count: 1 });
    expect(await counters.consume(r, 'a')).toMatchObject({ allowed: true, count: 1 });
    expect(await counters.consume(r, 'b')).toMatchObject({ allowed: true, count: 2 });
    expect(await counters.consume(r, 'c')).toMatchObject({ allowed: false, count: 2 });
    // A member already counted is still allowed (the client's retry of a counted try).
    expect(await counters.consume(r, 'b')).toMatchObject({ allowed: true, count: 2 });
  });

  it('gives a try back within its window only', async () => {
    const r = rule(1);
    const first = await counters.consume(r);
    await counters.release(r, first);
    const second = await counters.consume(r);
    expect(second).toMatchObject({ allowed: true, count: 1 });
    clock.advanceMs(60_000);
    const inNewWindow = await counters.consume(r);
    // The old window's try is given back late: the new window keeps its count.
    await counters.release(r, second);
    expect(await counters.consume(r)).toMatchObject({ allowed: false, count: 1 });
    expect(inNewWindow.allowed).toBe(true);
  });

  it('counts 40 tries at once exactly', async () => {
    const r = rule(7);
    const tries = await Promise.all(Array.from({ length: 40 }, () => counters.consume(r)));
    expect(tries.filter((t) => t.allowed)).toHaveLength(7);
    expect(
      tries
        .filter((t) => t.allowed)
        .map((t) => t.count)
        .sort((a, b) => a - b),
    ).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  describe('refuses a rule without bounds', () => {
    it('refuses a limit of 0', async () => {
      await expect(counters.consume({ key: 'k', limit: 0, windowMs: 1 })).rejects.toThrow(/limit/);
    });

    it('refuses a key of 201 characters', async () => {
      await expect(counters.consume({ key: 'x'.repeat(201), limit: 1, windowMs: 1 })).rejects.toThrow(/key/);
    });

    it('refuses a scope with spaces in it', () => {
      expect(() => counterKey('no spaces allowed', 1)).toThrow(/scope/);
    });
  });
});
