import { AppConfig, type Broadcast, type BroadcastListener, Clock, ManualClock } from '@app/common';
import type { AccountKind } from '../entities/loyalty-account.entity';
import { AccountViewCache } from './account-view-cache';
import type { AccountView } from './views';

/** A broadcast that delivers what it is told to, when the test says so. */
class FakeBroadcast implements Broadcast {
  live = true;
  readonly published: string[] = [];
  listener: BroadcastListener | undefined;
  constructor(readonly available = true) {}
  listen(_topic: string, listener: BroadcastListener): void {
    this.listener = listener;
  }
  publish(_topic: string, text: string): void {
    this.published.push(text);
  }
}

function view(
  pk: number,
  balance: bigint,
  user: number | null = 100 + pk,
  kind: AccountKind = 'customer',
): AccountView {
  const at = new Date('2026-12-08T00:00:00Z');
  return {
    pk,
    number: `n${pk}`,
    kind,
    user,
    user_email: null,
    currency: 'try',
    balance_minor: balance,
    debit_allowed: false,
    created_date: at,
    modified_date: at,
  };
}

/** `load` that counts its calls and answers the balance held in `db`. */
function database(initial: Record<number, bigint>, kinds: Record<number, AccountKind> = {}) {
  const db = { ...initial };
  let reads = 0;
  return {
    db,
    reads: () => reads,
    load: (pk: number) => () => {
      reads++;
      return Promise.resolve(view(pk, db[pk], 100 + pk, kinds[pk] ?? 'customer'));
    },
  };
}

/** A wall clock and a monotonic one that move apart, as they do when NTP steps the wall clock. */
class SteppedClock extends Clock {
  wall = Date.parse('2026-12-08T00:00:00Z');
  mono = 1_000;
  now(): Date {
    return new Date(this.wall);
  }
  monotonicMs(): number {
    return this.mono;
  }
}

function cacheWith(broadcast: Broadcast, seconds = '60', clock: Clock = new ManualClock()): AccountViewCache {
  return new AccountViewCache(AppConfig.fromEnv({ ACCOUNT_CACHE_SECONDS: seconds }), broadcast, clock);
}

/**
 * A cache that read account 1 of channel 1 at 500, then the account changed to 700 without a message: `again()`
 * answers 500 from memory, or 700 once the cache forgot it.
 */
async function readThenChangedBehind() {
  const broadcast = new FakeBroadcast();
  const cache = cacheWith(broadcast);
  const d = database({ 1: 500n });
  await cache.read(1, 1, d.load(1));
  d.db[1] = 700n;
  return { broadcast, cache, again: async () => (await cache.read(1, 1, d.load(1))).balance_minor };
}

describe('AccountViewCache', () => {
  it('answers a second read of an account from memory', async () => {
    const cache = cacheWith(new FakeBroadcast());
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    d.db[1] = 700n;
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(500n);
    expect(d.reads()).toBe(1);
  });

  it('reads again after a change of the account on this instance, and announces it to the others', async () => {
    const { broadcast, cache, again } = await readThenChangedBehind();
    cache.changed({ channelId: 1, accounts: [1] });
    expect(await again()).toBe(700n);
    expect(broadcast.published.map((text) => JSON.parse(text) as unknown)).toEqual([{ channelId: 1, accounts: [1] }]);
  });

  it('does not subscribe before its first read (the storefront never reads), yet announces every change', () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    cache.changed({ channelId: 1, users: [7] });
    expect(broadcast.listener).toBeUndefined();
    expect(broadcast.published).toHaveLength(1);
  });

  it('reads again after another instance announced a change of the account', async () => {
    const { broadcast, again } = await readThenChangedBehind();
    broadcast.listener!.message(JSON.stringify({ channelId: 1, accounts: [1] }));
    expect(await again()).toBe(700n);
  });

  it('forgets every account of a user named by a change (an order payment names the owner, not the account)', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n, 2: 900n });
    await cache.read(1, 1, d.load(1));
    await cache.read(1, 2, d.load(2));
    d.db[1] = 100n;
    d.db[2] = 100n;
    broadcast.listener!.message(JSON.stringify({ channelId: 1, users: [101] }));
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(100n);
    expect((await cache.read(1, 2, d.load(2))).balance_minor).toBe(900n);
  });

  it('keeps accounts of the same id apart by channel', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    await cache.read(2, 1, d.load(1));
    d.db[1] = 700n;
    broadcast.listener!.message(JSON.stringify({ channelId: 2, accounts: [1] }));
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(500n);
    expect((await cache.read(2, 1, d.load(1))).balance_minor).toBe(700n);
  });

  it('does not keep a read that was in flight when a change arrived (it may have read before the commit)', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n });
    const inFlight = cache.read(1, 1, async () => {
      const before = await d.load(1)();
      d.db[1] = 700n;
      broadcast.listener!.message(JSON.stringify({ channelId: 1, users: [101] }));
      return before;
    });
    expect((await inFlight).balance_minor).toBe(500n);
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(700n);
  });

  it('neither answers from nor keeps in memory while the subscription is down, and forgets all on a reset', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    broadcast.live = false;
    d.db[1] = 700n;
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(700n);
    broadcast.listener!.reset();
    broadcast.live = true;
    d.db[1] = 800n;
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(800n);
  });

  it('forgets everything on a message it cannot read', async () => {
    const { broadcast, again } = await readThenChangedBehind();
    broadcast.listener!.message('not json');
    expect(await again()).toBe(700n);
  });

  it('never keeps a system account (its balance is a sum every order changes)', async () => {
    const cache = cacheWith(new FakeBroadcast());
    const d = database({ 1: 500n }, { 1: 'sale' });
    await cache.read(1, 1, d.load(1));
    await cache.read(1, 1, d.load(1));
    expect(d.reads()).toBe(2);
  });

  it('caches nothing and announces nothing without Redis', async () => {
    const broadcast = new FakeBroadcast(false);
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    await cache.read(1, 1, d.load(1));
    cache.changed({ channelId: 1, accounts: [1] });
    expect(d.reads()).toBe(2);
    expect(broadcast.published).toEqual([]);
  });

  it('caches nothing with ACCOUNT_CACHE_SECONDS=0, yet announces its changes to the instances that cache', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast, '0');
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    await cache.read(1, 1, d.load(1));
    cache.changed({ channelId: 1, accounts: [1] });
    expect(d.reads()).toBe(2);
    expect(broadcast.listener).toBeUndefined();
    expect(broadcast.published).toHaveLength(1);
  });

  it('does not keep a read during which the subscription went down', async () => {
    const broadcast = new FakeBroadcast();
    const cache = cacheWith(broadcast);
    const d = database({ 1: 500n });
    await cache.read(1, 2, d.load(2));
    await cache.read(1, 1, async () => {
      const before = await d.load(1)();
      broadcast.live = false;
      return before;
    });
    broadcast.live = true;
    d.db[1] = 700n;
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(700n);
  });

  it('forgets a user only in the channel the change names', async () => {
    const { broadcast, again } = await readThenChangedBehind();
    broadcast.listener!.message(JSON.stringify({ channelId: 2, users: [101] }));
    expect(await again()).toBe(500n);
  });

  it.each([
    ['accounts that are not a list', '{"channelId":1,"accounts":5}'],
    ['users that are not a list', '{"channelId":1,"users":{}}'],
    ['an id that is not a number', '{"channelId":1,"accounts":["1"]}'],
    ['no channel', '{"accounts":[1]}'],
    ['null', 'null'],
  ])('forgets everything, without throwing, on a message with %s', async (_name, text) => {
    const { broadcast, again } = await readThenChangedBehind();
    expect(() => {
      broadcast.listener!.message(text);
    }).not.toThrow();
    expect(await again()).toBe(700n);
  });

  it('times a view by the monotonic clock: a wall clock stepped back does not keep it longer', async () => {
    const clock = new SteppedClock();
    const cache = cacheWith(new FakeBroadcast(), '1', clock);
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    d.db[1] = 700n;
    clock.wall -= 3_600_000;
    clock.mono += 1_001;
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(700n);
  });

  it('keeps a view no longer than ACCOUNT_CACHE_SECONDS when no message comes', async () => {
    const clock = new ManualClock();
    const cache = cacheWith(new FakeBroadcast(), '1', clock);
    const d = database({ 1: 500n });
    await cache.read(1, 1, d.load(1));
    d.db[1] = 700n;
    clock.advanceMs(999);
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(500n);
    clock.advanceMs(2);
    expect((await cache.read(1, 1, d.load(1))).balance_minor).toBe(700n);
  });
});
