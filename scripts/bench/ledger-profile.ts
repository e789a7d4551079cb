import 'reflect-metadata';
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/common';
import { dataSourceOptions } from '@app/database';
import { StaffService } from '@app/identity';
import { LedgerService, LoyaltyAccountService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createOmnitronApp } from '../../apps/omnitron/src/omnitron.app';
import { createBenchDatabase } from './bench-database';
import { postJson, send, sqlFunctionTransfer, sqlTransfer } from './ledger-load';

/**
 * `npm run bench:ledger:profile`: where a create_transfer's time goes, everything in this one process (no load
 * generator, no child processes): the baseline's SQL and the single-call SQL through pg, the ledger service, GET /health and a transfer
 * refused by validation (the request path without the ledger), and the whole request through Fastify's `inject`
 * (no sockets) and over loopback HTTP. Prints wall and CPU (user + system) milliseconds per operation.
 * PROFILE_OPS operations per step (default 2000, at most 20000), PROFILE_CONCURRENCY workers (default 1, at most
 * 64), each on its own pair of accounts; PROFILE_ONLY=<step name> runs one step, e.g. under `node --cpu-prof`.
 */
const OPS = Math.min(Math.max(Math.trunc(Number(process.env.PROFILE_OPS ?? 2000)) || 1, 1), 20_000);
const CONCURRENCY = Math.min(Math.max(Math.trunc(Number(process.env.PROFILE_CONCURRENCY ?? 1)) || 1, 1), 64);
const ONLY = process.env.PROFILE_ONLY;
const POOL_SIZE = 20;

async function measure(name: string, op: (worker: number) => Promise<void>): Promise<void> {
  if (ONLY && ONLY !== name) return;
  for (let i = 0; i < Math.min(200, OPS); i++) await op(i % CONCURRENCY);
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      while (next++ < OPS) await op(worker);
    }),
  );
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const perOp = (microseconds: number): string => (microseconds / 1000 / OPS).toFixed(3);
  process.stdout.write(
    `${name.padEnd(28)} wall ${(wall / OPS).toFixed(3)} ms/op   CPU ${perOp(used.user + used.system)} ms/op ` +
      `(user ${perOp(used.user)})\n`,
  );
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('loyalty_profile');
  const config = AppConfig.fromEnv({
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    PASSWORD_SCRYPT_LOG2_N: '10',
    AUTH_THROTTLE_IP_LIMIT: '100000',
    SWAGGER_ENABLED: 'false',
    // With REDIS_URL the app runs as production does (GET account from memory), under a key prefix of its own.
    ...(process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL, REDIS_KEY_PREFIX: `ledger-profile-${Date.now().toString(36)}:` }
      : {}),
  });
  const app = await createOmnitronApp(config);
  const pool = new Pool({
    connectionString: database.url,
    max: POOL_SIZE,
    ...(dataSourceOptions({ url: database.url, poolSize: POOL_SIZE, statementTimeoutMs: 15_000 }).extra as object),
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = new URL((await app.getUrl()).replace('[::1]', '127.0.0.1'));
    const ids: number[] = [];
    for (let i = 0; i < 2 * CONCURRENCY; i++) {
      const rows: { id: number }[] = await app.get(DataSource).query(
        `INSERT INTO users (channel_id, username, email, email_lower, password_hash, date_joined, modified_date)
         VALUES (1, $1, $2, $2, '!', now(), now()) RETURNING id`,
        [`profile${i}`, `profile${i}@example.com`],
      );
      const account = await app
        .get(LoyaltyAccountService)
        .create(1, { userId: rows[0].id, currency: 'try', balance: 100_000_000n });
      ids.push(account.pk);
    }
    await app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
    await app
      .get(StaffService)
      .create({ username: 'profile', password: 'profile-password', superuser: true, channelIds: [] });
    const fastify = app.getHttpAdapter().getInstance();
    const login = await fastify.inject({
      method: 'POST',
      url: '/api/v1/auth/login/',
      payload: { username: 'profile', password: 'profile-password' },
    });
    const headers = { authorization: `Token ${login.json<{ key: string }>().key}`, 'content-type': 'application/json' };
    const pair = (worker: number): [number, number] => [ids[2 * worker], ids[2 * worker + 1]];
    const transferPath = (worker: number): string =>
      `/api/v1/remote/1/loyalty_account/${pair(worker)[0]}/create_transfer/`;
    const transferBody = (worker: number): string => {
      const [source, destination] = pair(worker);
      return JSON.stringify({ amount: '0.01', source_account: source, destination_account: destination });
    };
    const expect = (step: string, status: number, wanted: number): void => {
      if (status !== wanted) throw new Error(`${step}: status ${status}, expected ${wanted}`);
    };

    await measure('sql-transfer (pg)', async (worker) => {
      const client = await pool.connect();
      try {
        await sqlTransfer(client, ...pair(worker));
      } finally {
        client.release();
      }
    });
    await measure('sql-function (pg)', async (worker) => {
      await sqlFunctionTransfer(pool, ...pair(worker));
    });
    const ledger = app.get(LedgerService);
    await measure('ledger service', async (worker) => {
      const [source, destination] = pair(worker);
      await ledger.transferOnly(1, { amount: 1n, sourceId: source, destinationId: destination });
    });
    await measure('GET /health (inject)', async () => {
      expect('health', (await fastify.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    });
    await measure('GET account (inject)', async (worker) => {
      const url = `/api/v1/remote/1/loyalty_account/${pair(worker)[0]}/`;
      expect('GET account', (await fastify.inject({ method: 'GET', url, headers })).statusCode, 200);
    });
    await measure('refused transfer (inject)', async (worker) => {
      const payload = '{"amount":"-1"}';
      const response = await fastify.inject({ method: 'POST', url: transferPath(worker), headers, payload });
      expect('refused transfer', response.statusCode, 400);
    });
    await measure('create_transfer (inject)', async (worker) => {
      const payload = transferBody(worker);
      const response = await fastify.inject({ method: 'POST', url: transferPath(worker), headers, payload });
      expect('create_transfer', response.statusCode, 204);
    });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    try {
      await measure('create_transfer (http)', async (worker) => {
        expect('create_transfer', await postJson(agent, url, transferPath(worker), headers, transferBody(worker)), 204);
      });
      await measure('GET /health (http)', async () => {
        expect('health', await send(agent, url, 'GET', '/health/', {}), 200);
      });
      await measure('GET account (http)', async (worker) => {
        const path = `/api/v1/remote/1/loyalty_account/${pair(worker)[0]}/`;
        expect('GET account', await send(agent, url, 'GET', path, { authorization: headers.authorization }), 200);
      });
    } finally {
      agent.destroy();
    }
  } finally {
    await pool.end();
    await app.close();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
