import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment } from './helpers/checkout';
import { HttpClient } from './helpers/http';
import { register } from './helpers/identity';
import { type Exit, freePort, NodeProcess, until } from './helpers/processes';
import { startTestApp, testEnv, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';

/**
 * Issue 15, item 4: SIGTERM to a real app process (dist/apps/.../main.js) while requests wait on a row lock held by
 * another connection. Every request the process has received is answered, with `Connection: close`; a request that
 * arrives during the drain is refused in the API's shape and moves nothing; idle keep-alive sockets are closed; the
 * process exits soon after its last answer; the ledger audit is clean.
 */
const DIST = join(__dirname, '..', 'dist', 'apps');
const MAIN = {
  omnitron: join(DIST, 'omnitron', 'src', 'main.js'),
  storefront: join(DIST, 'storefront', 'src', 'main.js'),
};
const built = existsSync(MAIN.omnitron) && existsSync(MAIN.storefront);
if (!built)
  process.stdout.write(`graceful-shutdown test skipped: ${DIST} is missing (npm ci builds it; or npm run build)\n`);
const describeBuilt = built ? describe : describe.skip;

const CH = 1;

/** One response as the client got it: complete, or the socket error it ended with. */
interface Answer {
  status?: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  error?: string;
  atMs: number;
}

/** A request over its own keep-alive connection (so the server must close it), through node:http. */
function send(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  return new Promise<Answer>((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { ...headers, 'Content-Length': Buffer.byteLength(body ?? '') },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode, headers: res.headers, body: text, atMs: Date.now() });
        });
        res.on('error', (error: NodeJS.ErrnoException) => {
          resolve({ headers: {}, body: text, error: error.code ?? error.message, atMs: Date.now() });
        });
      },
    );
    req.setTimeout(40_000, () => req.destroy(new Error('client timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ headers: {}, body: '', error: error.code ?? error.message, atMs: Date.now() });
    });
    req.end(body);
  });
}

/** `work`'s value, or `fallback` after `timeoutMs`; the timer does not outlive the wait. */
async function within<T>(work: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      resolve(fallback);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A raw connection, to send a request in pieces and read the answer until the server closes the connection. */
class RawConnection {
  readonly closed: Promise<number>;
  private text = '';
  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (this.text += chunk));
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        resolve(Date.now());
      }),
    );
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text);
  }

  get received(): string {
    return this.text;
  }

  /** The last response on the connection: status, headers (lower-case), body. */
  async answer(timeoutMs = 30_000): Promise<{ status: number; headers: Record<string, string>; body: string }> {
    await within(this.closed, timeoutMs, 0);
    const start = this.text.lastIndexOf('HTTP/1.1 ');
    const [head, body = ''] = this.text.slice(start).split('\r\n\r\n');
    const [statusLine, ...lines] = head.split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const at = line.indexOf(':');
      headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    return { status: Number(statusLine.split(' ')[1]), headers, body };
  }
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ECONNREFUSED');
    });
  });
}

async function lockWaiters(db: DataSource): Promise<number> {
  const rows = await db.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name = 'loyalty-service'`,
  );
  return rows[0].n;
}

function spawnApp(kind: 'omnitron' | 'storefront', app: TestApp, port: number, env: Record<string, string>) {
  const portSetting = kind === 'omnitron' ? 'OMNITRON_PORT' : 'STOREFRONT_PORT';
  const all = testEnv({
    DATABASE_URL: app.config.databaseUrl,
    REDIS_KEY_PREFIX: app.config.redisKeyPrefix,
    [portSetting]: String(port),
    HOST: '127.0.0.1',
    MIGRATIONS_RUN: 'false',
    ORDER_RECOVERY_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...env,
  });
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) if (value !== undefined) clean[key] = value;
  return new NodeProcess(MAIN[kind], clean);
}

function summary(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const key = a.error ? `error ${a.error}` : String(a.status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describeBuilt('graceful shutdown of a real omnitron process with transfers in flight', () => {
  let omnitron: TestApp;
  let storefront: TestApp;
  let child: NodeProcess | undefined;
  let auth: Record<string, string>;

  const staff = (path: string, json: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, { json, headers: auth });
  const account = async (balance: string): Promise<number> => {
    const { session } = await register(storefront.http);
    const me = await storefront.http.get('/current_user/', { Cookie: `osessionid=${session}` });
    const created = await staff('loyalty_account/', { user: me.body.pk, currency: 'try', balance });
    expect(created.status).toBe(201);
    return created.body.pk as number;
  };

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    storefront = await startTestApp('storefront', { databaseUrl: omnitron.config.databaseUrl });
    auth = (await newStaff(omnitron, { channels: [CH] })).headers;
  });
  afterAll(async () => {
    child?.kill();
    await storefront.close();
    await omnitron.close();
  });

  it('answers 32 held transfers, refuses in the API shape what came later, closes idle sockets and exits', async () => {
    const source = await account('100.00');
    const destination = await account('0.00');
    const db = omnitron.app.get(DataSource);

    const port = await freePort();
    // A pool big enough for every held transfer: each waits on the lock with a connection of its own.
    child = spawnApp('omnitron', omnitron, port, { DATABASE_POOL_SIZE: '36' });
    await child.waitFor('listening');
    const path = `/api/v1/remote/${CH}/loyalty_account/${source}/create_transfer/`;
    const transferBody = JSON.stringify({ amount: '1.00', source_account: source, destination_account: destination });
    const jsonHeaders = { ...auth, 'Content-Type': 'application/json' };

    // Idle keep-alive connections: they served a request and sit open, as a load balancer's pool leaves them.
    const idle = await Promise.all([RawConnection.open(port), RawConnection.open(port)]);
    for (const connection of idle) connection.write('GET /health/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until('the idle connections to be answered', () =>
      Promise.resolve(idle.every((c) => c.received.includes('"ok"')) ? true : undefined),
    );

    const locker = new Client({ connectionString: omnitron.config.databaseUrl });
    await locker.connect();
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    let answers: Answer[] = [];
    let signalAtMs = 0;
    let released = 0;
    let exit: Exit | undefined;
    let exitAfterLastAnswerMs = Number.NaN;
    let late: Awaited<ReturnType<RawConnection['answer']>>;
    let lateReadiness: Awaited<ReturnType<RawConnection['answer']>>;
    let slowUpload: Awaited<ReturnType<RawConnection['answer']>>;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = $1 FOR UPDATE', [source]);
      const pending = Array.from({ length: 32 }, () =>
        send(agent, port, 'POST', path, { ...jsonHeaders, 'Idempotency-Key': randomUUID() }, transferBody),
      );
      // Provably in flight: all 32 have started their database work and wait on the lock.
      await until('32 transfers waiting on the row lock', async () =>
        (await lockWaiters(db)) === 32 ? true : undefined,
      );

      // Received before the signal, body still to come: its headers are in, so it must be answered.
      const upload = await RawConnection.open(port);
      upload.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth.Authorization}\r\n` +
          `Content-Type: application/json\r\nIdempotency-Key: ${randomUUID()}\r\n` +
          `Content-Length: ${Buffer.byteLength(transferBody)}\r\n\r\n`,
      );
      // Not received yet: only part of the headers has arrived when the signal comes.
      const partial = await RawConnection.open(port);
      partial.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      const partialReadiness = await RawConnection.open(port);
      partialReadiness.write('GET /health/ready/ HTTP/1.1\r\n');
      await new Promise((resolve) => setTimeout(resolve, 300));

      signalAtMs = Date.now();
      child.child.kill('SIGTERM');
      // The listening socket closes at once: a load balancer's next connection goes elsewhere.
      await until('new connections to be refused', async () => ((await refused(port)) ? true : undefined), 2_000);
      const refusedAfterMs = Date.now() - signalAtMs;

      // Now the rest of the requests that arrive during the drain.
      partial.write(
        `Authorization: ${auth.Authorization}\r\nContent-Type: application/json\r\nIdempotency-Key: ${randomUUID()}\r\n` +
          `Content-Length: ${Buffer.byteLength(transferBody)}\r\n\r\n${transferBody}`,
      );
      partialReadiness.write('Host: 127.0.0.1\r\nAccept-Language: en\r\n\r\n');
      upload.write(transferBody);
      late = await partial.answer(5_000);
      lateReadiness = await partialReadiness.answer(5_000);
      const idleClosedAtMs = await within(
        Promise.all(idle.map((c) => c.closed)).then((times) => Math.max(...times)),
        5_000,
        Number.NaN,
      );

      // The drain holds the process while the transfers wait.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(child.running).toBe(true);
      expect(await lockWaiters(db)).toBe(33);
      released = Date.now();
      await locker.query('ROLLBACK');

      answers = await Promise.all(pending);
      slowUpload = await upload.answer(20_000);
      exit = await child.exit(15_000);
      const lastAnswerAtMs = Math.max(...answers.map((a) => a.atMs));
      process.stdout.write(
        `graceful shutdown (omnitron): ${JSON.stringify(summary(answers))}; new connections refused ` +
          `${refusedAfterMs} ms after SIGTERM; idle keep-alive sockets closed ${idleClosedAtMs - signalAtMs} ms after ` +
          `SIGTERM; last answer ${lastAnswerAtMs - released} ms after the lock was released; exit (code ` +
          `${exit?.code}) ${exit ? exit.atMs - lastAnswerAtMs : 'n/a'} ms after the last answer\n`,
      );
      expect(idleClosedAtMs - signalAtMs).toBeLessThan(2_000);
      exitAfterLastAnswerMs = exit ? exit.atMs - lastAnswerAtMs : Number.NaN;
    } finally {
      agent.destroy();
      await locker.end();
    }

    // Zero resets: every transfer got its whole answer, 204, and the server closed its connection.
    expect(answers.filter((a) => a.error)).toEqual([]);
    expect(summary(answers)).toEqual({ '204': 32 });
    for (const a of answers) expect(a.headers.connection).toBe('close');
    expect(slowUpload.status).toBe(204);
    // Refused before any handler, in the API's error shape; it moved nothing (balances below).
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe('close');
    expect(late.headers['retry-after']).toBe('1');
    expect(JSON.parse(late.body)).toEqual({ detail: expect.any(String), code: 'shutting_down' });
    expect(lateReadiness.status).toBe(503);
    expect(JSON.parse(lateReadiness.body)).toEqual({
      detail: 'The service is temporarily unavailable.',
      code: 'shutting_down',
    });
    expect(exit?.code).toBe(0);
    expect(exitAfterLastAnswerMs).toBeLessThan(3_000);

    const balances = await db.query<{ balance: string }[]>(
      'SELECT balance::text AS balance FROM loyalty_account WHERE id = ANY($1) ORDER BY array_position($1, id)',
      [[source, destination]],
    );
    expect(balances.map((b) => b.balance)).toEqual(['67.00', '33.00']);
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  }, 90_000);

  it('cuts what is still running when SHUTDOWN_GRACE_MS is over: it rolls back, and the process exits', async () => {
    const source = await account('10.00');
    const destination = await account('0.00');
    const db = omnitron.app.get(DataSource);
    const port = await freePort();
    child = spawnApp('omnitron', omnitron, port, { SHUTDOWN_GRACE_MS: '1000' });
    await child.waitFor('listening');
    const locker = new Client({ connectionString: omnitron.config.databaseUrl });
    await locker.connect();
    const agent = new Agent({ keepAlive: true });
    let answer: Answer;
    let exit: Exit | undefined;
    let signalAtMs = 0;
    let endedAtMs = 0;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = $1 FOR UPDATE', [source]);
      const pending = send(
        agent,
        port,
        'POST',
        `/api/v1/remote/${CH}/loyalty_account/${source}/create_transfer/`,
        { ...auth, 'Content-Type': 'application/json' },
        JSON.stringify({ amount: '4.00', source_account: source, destination_account: destination }),
      );
      await until('the transfer to wait on the lock', async () => ((await lockWaiters(db)) === 1 ? true : undefined));
      signalAtMs = Date.now();
      child.child.kill('SIGTERM');
      answer = await pending;
      // The pool cannot close while the cut transfer's connection waits: bounded by the app-close timeout (5 s).
      exit = await child.exit(15_000);
      // The server sees the process gone (client_connection_check_interval) and ends the waiting statement before
      // the lock is released: released first, the statement would commit a transfer nobody got an answer for.
      await until('the server to end the cut transfer', async () => ((await lockWaiters(db)) === 0 ? true : undefined));
      endedAtMs = Date.now();
      process.stdout.write(
        `graceful shutdown past the grace period: the cut statement ended ${endedAtMs - signalAtMs} ms after SIGTERM; ` +
          `client got ${answer.error ?? answer.status} ` +
          `${answer.atMs - signalAtMs} ms after SIGTERM; exit (code ${exit?.code}) ` +
          `${exit ? exit.atMs - signalAtMs : 'n/a'} ms after SIGTERM\n`,
      );
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      agent.destroy();
      await locker.end();
    }
    expect(answer.status).toBeUndefined();
    expect(answer.atMs - signalAtMs).toBeGreaterThanOrEqual(900);
    expect(exit?.code).toBe(1);
    expect(exit!.atMs - signalAtMs).toBeLessThan(8_000);
    // Ended because the server saw its client gone, not by the statement timeout (15 s after it started).
    expect(endedAtMs - exit!.atMs).toBeLessThan(5_000);
    // The cut transfer moved nothing: its connection closed with the process, its transaction rolled back.
    const balances = await db.query<{ balance: string }[]>(
      'SELECT balance::text AS balance FROM loyalty_account WHERE id = ANY($1) ORDER BY array_position($1, id)',
      [[source, destination]],
    );
    expect(balances.map((b) => b.balance)).toEqual(['10.00', '0.00']);
    expect(await omnitron.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  }, 60_000);
});

describeBuilt('graceful shutdown of a real storefront process with final checkout posts in flight', () => {
  const ORDERS = 32;
  /** Customers set up at a time: the set-up stays within this test's share of the server's connections. */
  const SETUP_BATCH = 8;
  let storefront: TestApp;
  let child: NodeProcess | undefined;

  beforeAll(async () => {
    storefront = await startTestApp('storefront', { env: { ORDER_RECOVERY_ENABLED: 'false' } });
    await storefront.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(async () => {
    child?.kill();
    await storefront.close();
  });

  it('places every order it has received, then exits', async () => {
    const port = await freePort();
    // The completion gate lets half the pool run final posts: 2 x ORDERS connections let all of them reach the lock.
    child = spawnApp('storefront', storefront, port, { DATABASE_POOL_SIZE: String(2 * ORDERS) });
    await child.waitFor('listening');
    const remote = { ...storefront, http: new HttpClient(`http://127.0.0.1:${port}`, 'storefront') };
    const db = storefront.app.get(DataSource);
    const product = await createProduct(storefront, '25.00', 100);

    const setUp = async () => {
      // Registered and signed in through the spawned process, as its customers are.
      const c = await newCustomer(remote);
      await fundedAccount(storefront, { owner: c, balance: '40.00', debitAllowed: true });
      expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
      await stepsToPayment(c, await addAddress(c));
      expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '25.00' })).body.errors).toBeNull();
      expect((await c.page('PaymentOptionSelectionPage', { payment_option: '2' })).body.errors).toBeNull();
      return c;
    };
    const customers: Awaited<ReturnType<typeof setUp>>[] = [];
    while (customers.length < ORDERS) {
      customers.push(...(await Promise.all(Array.from({ length: SETUP_BATCH }, setUp))));
    }
    const accounts = await db.query<{ id: number }[]>(
      `SELECT id FROM loyalty_account WHERE user_id = ANY($1) AND currency = 'try'`,
      [customers.map((c) => c.userId)],
    );
    expect(accounts).toHaveLength(ORDERS);

    const locker = new Client({ connectionString: storefront.config.databaseUrl });
    await locker.connect();
    const agent = new Agent({ keepAlive: true, maxSockets: 64 });
    let answers: Answer[] = [];
    let exit: Exit | undefined;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = ANY($1) FOR UPDATE', [accounts.map((a) => a.id)]);
      const pending = customers.map((c) =>
        send(
          agent,
          port,
          'POST',
          '/orders/checkout/?page=LoyaltyPaymentSelectedPage',
          { ...c.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          'agreement=true',
        ),
      );
      await until(`${ORDERS} final posts waiting on the row locks`, async () =>
        (await lockWaiters(db)) === ORDERS ? true : undefined,
      );
      child.child.kill('SIGTERM');
      await until('new connections to be refused', async () => ((await refused(port)) ? true : undefined), 2_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(child.running).toBe(true);
      await locker.query('ROLLBACK');
      answers = await Promise.all(pending);
      exit = await child.exit(15_000);
      const last = Math.max(...answers.map((a) => a.atMs));
      process.stdout.write(
        `graceful shutdown (storefront): ${JSON.stringify(summary(answers))}; exit (code ${exit?.code}) ` +
          `${exit ? exit.atMs - last : 'n/a'} ms after the last answer\n`,
      );
    } finally {
      agent.destroy();
      await locker.end();
    }
    expect(answers.filter((a) => a.error)).toEqual([]);
    expect(summary(answers)).toEqual({ '200': ORDERS });
    for (const a of answers) {
      expect(a.headers.connection).toBe('close');
      const page = JSON.parse(a.body);
      expect(page.errors).toBeNull();
      expect(page.context_list[0].page_name).toBe('ThankYouPage');
    }
    expect(exit?.code).toBe(0);
    const orders = await db.query<{ status: string }[]>('SELECT status FROM orders WHERE user_id = ANY($1)', [
      customers.map((c) => c.userId),
    ]);
    expect(orders.map((o) => o.status)).toEqual(Array.from({ length: ORDERS }, () => 'completed'));
    expect(await storefront.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  }, 150_000);
});
