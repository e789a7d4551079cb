import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Env } from '@app/common';
import { HttpClient } from './helpers/http';
import { register } from './helpers/identity';
import { freePort, isAlive, NodeProcess, until } from './helpers/processes';
import { testEnv } from './helpers/test-app';

/**
 * Issue 15, items 4 and 6: the real `npm start` launcher (dist/scripts/start.js) on an embedded PostgreSQL of its own,
 * in a temporary data folder. A second launcher on the folder refuses and leaves the first alone; a Ctrl-C (SIGINT to
 * the launcher's whole process group, as a terminal sends it) drains a request waiting on a row lock before the
 * database stops; a leftover server of a killed launcher is stopped by the next one. About 15 s: each launch takes
 * 2-4 s (the first one runs initdb).
 */
const START = join(__dirname, '..', 'dist', 'scripts', 'start.js');
const built = existsSync(START);
if (!built) process.stdout.write(`launcher test skipped: ${START} is missing (npm ci builds it; or npm run build)\n`);
const describeBuilt = built ? describe : describe.skip;

const READY_TEXT = 'Press Ctrl-C to stop.';

describeBuilt('npm start (the launcher) on its embedded PostgreSQL', () => {
  // Under the project's .data/: running as root, the server's own user must be able to reach the folder.
  const dataDir = join(__dirname, '..', '.data', `launcher-test-${process.pid}-${randomBytes(3).toString('hex')}`);
  const launched: NodeProcess[] = [];
  let pgPort: number;

  async function launcherEnv(): Promise<Env> {
    const env: Record<string, string> = {};
    const all = testEnv({
      EMBEDDED_POSTGRES_DIR: dataDir,
      EMBEDDED_POSTGRES_PORT: String(pgPort),
      STOREFRONT_PORT: String(await freePort()),
      OMNITRON_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    // No DATABASE_URL: the launcher runs its embedded server only then.
    for (const [key, value] of Object.entries(all)) if (value !== undefined && key !== 'DATABASE_URL') env[key] = value;
    return env;
  }

  function launch(env: Env): NodeProcess {
    const launcher = new NodeProcess(START, env, { detached: true });
    launched.push(launcher);
    return launcher;
  }

  function postmasterPid(): number | undefined {
    const file = join(dataDir, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  }

  beforeAll(async () => {
    pgPort = await freePort();
  });

  afterAll(async () => {
    for (const launcher of launched) launcher.kill();
    const leftover = postmasterPid();
    if (leftover && isAlive(leftover)) {
      process.kill(leftover, 'SIGINT');
      await until('the test server to stop', () => Promise.resolve(isAlive(leftover) ? undefined : true), 15_000);
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.lock`, { force: true });
  });

  it('refuses a second launcher on the folder, drains on Ctrl-C, and cleans up after a killed one', async () => {
    // 1. The first launcher.
    const firstEnv = await launcherEnv();
    const first = launch(firstEnv);
    await first.waitFor(READY_TEXT, 60_000);
    const token = /Authorization: Token (\w+)/.exec(first.output)?.[1];
    expect(token).toBeDefined();
    const storefront = new HttpClient(`http://127.0.0.1:${firstEnv.STOREFRONT_PORT}`, 'storefront');
    const omnitron = new HttpClient(`http://127.0.0.1:${firstEnv.OMNITRON_PORT}`, 'omnitron');
    const server = postmasterPid()!;
    expect(isAlive(server)).toBe(true);

    // 2. A second launcher on the same folder refuses, names the folder and the live launcher, exits non-zero.
    const second = launch(await launcherEnv());
    const refused = await second.exit(20_000);
    expect(refused?.code).toBe(1);
    expect(second.output).toContain(`data folder ${dataDir} is in use`);
    expect(second.output).toContain(`pid ${first.pid}`);
    expect(second.output).not.toContain('Stopping a leftover');
    // ... and the first is untouched.
    expect(postmasterPid()).toBe(server);
    expect(isAlive(server)).toBe(true);
    expect((await storefront.get('/health/ready/')).status).toBe(200);
    expect((await omnitron.get('/health/ready/')).status).toBe(200);

    // 3. Ctrl-C while a transfer waits on a row lock: the transfer is answered, then the server stops.
    const staff = (path: string, json: unknown) =>
      omnitron.request(`/api/v1/remote/1/${path}`, { json, headers: { Authorization: `Token ${token}` } });
    const account = async (balance: string): Promise<number> => {
      const { session } = await register(storefront);
      const me = await storefront.get('/current_user/', { Cookie: `osessionid=${session}` });
      const created = await staff('loyalty_account/', { user: me.body.pk, currency: 'try', balance });
      expect(created.status).toBe(201);
      return created.body.pk as number;
    };
    const source = await account('10.00');
    const destination = await account('0.00');
    const url = `postgres://postgres:postgres@127.0.0.1:${pgPort}/loyalty`;
    const locker = new Client({ connectionString: url });
    const watcher = new Client({ connectionString: url });
    // The launcher stops its server as soon as the drain ends, which can be before these have closed: the server's
    // "terminating connection" is then expected, not an error of the test.
    for (const client of [locker, watcher]) client.on('error', () => undefined);
    await locker.connect();
    await watcher.connect();
    let transfer: ReturnType<typeof staff>;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = $1 FOR UPDATE', [source]);
      transfer = staff(`loyalty_account/${source}/create_transfer/`, {
        amount: '4.00',
        source_account: source,
        destination_account: destination,
      });
      await until('the transfer to wait on the lock', async () => {
        const { rows } = await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = 'loyalty' AND wait_event_type = 'Lock'`,
        );
        return rows[0].n === 1 ? true : undefined;
      });
      // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
      process.kill(-first.pid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 500));
      // The server runs in a group of its own: it is still up, the launcher still waits for the transfer.
      expect(isAlive(server)).toBe(true);
      expect(first.running).toBe(true);
      await locker.query('COMMIT');
    } finally {
      await locker.end().catch(() => undefined);
      await watcher.end().catch(() => undefined);
    }
    const answered = await transfer;
    expect(answered.status).toBe(204);
    expect(answered.headers.get('connection')).toBe('close');
    const stopped = await first.exit(20_000);
    expect(stopped?.code).toBe(0);
    expect(isAlive(server)).toBe(false);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);

    // 4. A launcher killed outright leaves its server running; the next launcher stops that leftover and starts.
    const killed = launch(await launcherEnv());
    await killed.waitFor(READY_TEXT, 60_000);
    const orphan = postmasterPid()!;
    process.kill(killed.pid, 'SIGKILL');
    await killed.exit(5_000);
    expect(isAlive(orphan)).toBe(true);
    const next = launch(await launcherEnv());
    await next.waitFor(READY_TEXT, 60_000);
    expect(next.output).toContain(`Stopping a leftover PostgreSQL (pid ${orphan})`);
    expect(isAlive(orphan)).toBe(false);
    // The transfer answered during the drain was committed, once.
    const reader = new Client({ connectionString: url });
    await reader.connect();
    try {
      const { rows } = await reader.query<{ id: number; balance: string }>(
        'SELECT id, balance::text AS balance FROM loyalty_account WHERE id = ANY($1) ORDER BY id',
        [[source, destination]],
      );
      expect(rows.map((r) => r.balance)).toEqual(['6.00', '4.00']);
    } finally {
      await reader.end();
    }
    process.kill(next.pid, 'SIGTERM');
    expect((await next.exit(20_000))?.code).toBe(0);
  }, 120_000);
});
