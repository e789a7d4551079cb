import { DataSource } from 'typeorm';
import { dataSourceOptions, LeaderElection, Leases } from '@app/database';
import { createTestDatabase } from './helpers/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('leases and leader election in PostgreSQL', () => {
  let dataSource: DataSource;
  let other: DataSource;
  let leases: Leases;
  let otherLeases: Leases;

  beforeAll(async () => {
    const url = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions({ url, poolSize: 4, statementTimeoutMs: 10_000 })).initialize();
    // A second pool stands for a second app instance.
    other = await new DataSource(dataSourceOptions({ url, poolSize: 4, statementTimeoutMs: 10_000 })).initialize();
    leases = new Leases(dataSource);
    otherLeases = new Leases(other);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await other.destroy();
  });

  it('gives a lease to one holder at a time, and to the next once released or expired', async () => {
    const first = await leases.tryAcquire('probe:a', 10_000);
    expect(first).toBeDefined();
    expect(await otherLeases.tryAcquire('probe:a', 10_000)).toBeUndefined();
    await leases.release(first!);
    const second = await otherLeases.tryAcquire('probe:a', 60);
    expect(second).toBeDefined();
    await sleep(100);
    // Expired: its holder lost it, and cannot renew it once someone else took it.
    const third = await leases.tryAcquire('probe:a', 10_000);
    expect(third).toBeDefined();
    expect(await otherLeases.renew(second!, 10_000)).toBe(false);
    expect(await leases.renew(third!, 10_000)).toBe(true);
  });

  it('serialises work across instances without holding a connection', async () => {
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    const work = (i: number) => async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(5);
      order.push(i);
      inside--;
      return i;
    };
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? leases : otherLeases).withLease('probe:b', { ttlMs: 5_000, waitMs: 20_000 }, work(i)),
      ),
    );
    expect(most).toBe(1);
    expect(order.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(results.map((r) => r?.value)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    // No connection was held while waiting: the pools of 4 served 12 waiters.
    expect(await leases.tryAcquire('probe:b', 1)).toBeDefined();
  });

  it('keeps a lease while long work runs (renewed), and answers undefined when it cannot be had in time', async () => {
    const long = leases.withLease('probe:c', { ttlMs: 90 }, async () => {
      await sleep(300);
      return 'done';
    });
    await sleep(150);
    expect(await otherLeases.withLease('probe:c', { ttlMs: 90, waitMs: 50 }, () => Promise.resolve('x'))).toBe(
      undefined,
    );
    expect(await long).toEqual({ value: 'done' });
  });

  it('elects one leader per name; another instance takes over when the leader stops', async () => {
    const runs: string[] = [];
    const a = new LeaderElection(leases, {
      name: 'probe',
      intervalMs: 1_000,
      task: () => Promise.resolve(void runs.push('a')),
    });
    const b = new LeaderElection(otherLeases, {
      name: 'probe',
      intervalMs: 1_000,
      task: () => Promise.resolve(void runs.push('b')),
    });
    expect(await a.tick()).toBe(true);
    expect(await b.tick()).toBe(false);
    expect(await a.tick()).toBe(true);
    expect(runs).toEqual(['a', 'a']);
    await a.stop();
    expect(await b.tick()).toBe(true);
    expect(runs).toEqual(['a', 'a', 'b']);
    await b.stop();
  });
});
