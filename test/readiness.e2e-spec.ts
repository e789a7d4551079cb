import { DataSource, type QueryRunner } from 'typeorm';
import { createTestDatabase } from './helpers/database';
import type { HttpResponse } from './helpers/http';
import { OwnRedis, redisServerMissing } from './helpers/redis-server';
import { TcpProxy } from './helpers/tcp-proxy';
import { startTestApp, type TestApp } from './helpers/test-app';

/**
 * Issue 15, item 3: `/health/ready/` tells the truth. PostgreSQL is reached through a loopback proxy this test
 * controls (frozen: no answer; refusing: down), Redis is a redis-server of the test's own (SIGSTOP, kill): the shared
 * servers are never touched. A pool that is merely busy keeps the instance ready.
 */
const EN = { 'Accept-Language': 'en' };
const DETAIL = 'The service is temporarily unavailable.';

interface Pool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

async function timed(probe: () => Promise<HttpResponse>): Promise<{ response: HttpResponse; ms: number }> {
  const started = Date.now();
  const response = await probe();
  return { response, ms: Date.now() - started };
}

/** The figure for the closing note: what a probe got during a fault, and how long it took. */
function report(fault: string, { response, ms }: { response: HttpResponse; ms: number }): void {
  process.stdout.write(`readiness, ${fault}: ${response.status} ${JSON.stringify(response.body)} in ${ms} ms\n`);
}

describe('readiness of an app whose database freezes or goes away', () => {
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    const direct = new URL(await createTestDatabase());
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    app = await startTestApp('storefront', { databaseUrl: proxy.url(direct.toString()) });
  });
  afterAll(async () => {
    proxy.thaw();
    await proxy.accept().catch(() => undefined);
    await app.close().catch(() => undefined);
    await proxy.close();
  });

  const ready = () => timed(() => app.http.get('/health/ready/', EN));

  it('is ready while PostgreSQL answers', async () => {
    const { response } = await ready();
    expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
  });

  it('answers 503 naming the database within about 1 s while PostgreSQL does not answer, and recovers', async () => {
    proxy.freeze();
    try {
      const probe = await ready();
      report('PostgreSQL frozen', probe);
      const { response, ms } = probe;
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ detail: DETAIL, code: 'database_unavailable', unavailable: ['database'] });
      expect(ms).toBeLessThan(2_500);
      // Liveness is about the process only: an outage must not get instances restarted.
      expect((await app.http.get('/health/')).status).toBe(200);
    } finally {
      proxy.thaw();
    }
    const { response } = await ready();
    expect(response.status).toBe(200);
  });

  it('answers 503 while PostgreSQL refuses connections, and 200 once it accepts them again', async () => {
    await proxy.refuse();
    try {
      const probe = await ready();
      report('PostgreSQL refusing connections', probe);
      const { response, ms } = probe;
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'database_unavailable', unavailable: ['database'] });
      expect(ms).toBeLessThan(2_500);
      expect((await app.http.get('/health/')).status).toBe(200);
    } finally {
      await proxy.accept();
    }
    const { response } = await ready();
    expect(response.status).toBe(200);
  });
});

describe('readiness of an app whose pool is busy', () => {
  it('stays 200 while every pooled connection is checked out and queries wait for one', async () => {
    const app = await startTestApp('omnitron', { env: { DATABASE_POOL_SIZE: '2' } });
    const dataSource = app.app.get(DataSource);
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const held: QueryRunner[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const runner = dataSource.createQueryRunner();
        await runner.connect();
        held.push(runner);
      }
      // A query waiting for a connection: the pool is exhausted, provably.
      const waiting = dataSource.query('SELECT 1').catch((error: unknown) => error);
      expect([pool.totalCount, pool.idleCount, pool.waitingCount]).toEqual([2, 0, 1]);

      const probe = await timed(() => app.http.get('/health/ready/'));
      report('pool exhausted (2 of 2 checked out, 1 query waiting)', probe);
      const { response, ms } = probe;
      expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
      expect(ms).toBeLessThan(1_000);

      for (const runner of held.splice(0)) await runner.release();
      await waiting;
    } finally {
      for (const runner of held) await runner.release();
      await app.close();
    }
  });
});

const missing = redisServerMissing();
if (missing) process.stdout.write(`Redis readiness tests skipped: ${missing}\n`);
const describeRedis = missing ? describe.skip : describe;

describeRedis('readiness of an app whose Redis freezes or stops', () => {
  let redis: OwnRedis;
  let app: TestApp;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    app = await startTestApp('omnitron', { env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    redis.thaw();
    await app.close().catch(() => undefined);
    await redis.stop();
  });

  const ready = () => timed(() => app.http.get('/health/ready/', EN));

  it('answers 503 naming Redis while it is frozen, and 200 once it answers again', async () => {
    expect((await ready()).response.status).toBe(200);
    redis.freeze();
    try {
      const probe = await ready();
      report('Redis frozen', probe);
      const { response, ms } = probe;
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ detail: DETAIL, code: 'redis_unavailable', unavailable: ['redis'] });
      expect(ms).toBeLessThan(2_500);
      expect((await app.http.get('/health/')).status).toBe(200);
    } finally {
      redis.thaw();
    }
    expect((await ready()).response.status).toBe(200);
  });

  it('answers 503 naming Redis while it is down, and 200 once the app has reconnected by itself', async () => {
    await redis.stop();
    try {
      const probe = await ready();
      report('Redis stopped', probe);
      const { response, ms } = probe;
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ code: 'redis_unavailable', unavailable: ['redis'] });
      expect(ms).toBeLessThan(2_500);
    } finally {
      await redis.run();
    }
    // ioredis reconnects with its own back-off: bounded wait.
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await ready()).response.status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(status).toBe(200);
  });
});
