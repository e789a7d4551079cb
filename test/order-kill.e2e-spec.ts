import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CardChargeEntity, OrderEntity, OrderRecoveryWorker, SANDBOX_CARDS } from '@app/checkout';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment } from './helpers/checkout';
import { HttpClient } from './helpers/http';
import { freePort, until } from './helpers/processes';
import { startTestApp, testEnv, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer } from './helpers/fixtures';

/**
 * Issue 13: a real `kill -9` of a storefront process between the card charge and the store-credit payment. The
 * payment is held back by a row lock another connection holds on the customer's store-credit account (as a stalled
 * database would), the process is killed while it waits, and a new instance's recovery completes the order: the
 * store credit is paid once, the card charged once.
 */
const MAIN = join(__dirname, '..', 'dist', 'apps', 'storefront', 'src', 'main.js');
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);
const CH = 1;

const built = existsSync(MAIN);
if (!built) process.stdout.write(`order-kill test skipped: ${MAIN} is missing (npm ci builds it; or npm run build)\n`);
const describeBuilt = built ? describe : describe.skip;

describeBuilt('a storefront process killed with SIGKILL between the charge and the store-credit payment', () => {
  let app: TestApp;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { ORDER_RECOVERY_ENABLED: 'false', ORDER_RECOVERY_GRACE_MS: '0' } });
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await app.close();
  });

  it('leaves an order that recovery completes, with one charge and one store-credit payment', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...testEnv({ DATABASE_URL: app.config.databaseUrl }),
        // The same key space as the in-process app, so both see the same sessions when they live in Redis.
        REDIS_KEY_PREFIX: app.config.redisKeyPrefix,
        STOREFRONT_PORT: String(port),
        HOST: '127.0.0.1',
        ORDER_RECOVERY_ENABLED: 'false',
        // The dead process's placement lease must expire before recovery may act on the customer's order.
        ORDER_PLACEMENT_LEASE_MS: '1000',
        MIGRATIONS_RUN: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until('the child to listen', () => Promise.resolve(output.includes('listening') ? true : undefined));
    const remote = { ...app, http: new HttpClient(`http://127.0.0.1:${port}`, 'storefront') };

    // The customer signs in and checks out through the child process.
    const c = await newCustomer(remote);
    const { userId } = c;
    const db = app.app.get(DataSource);
    const account = await fundedAccount(app, { owner: userId, balance: '50.00' });
    const product = await createProduct(app, '80.00', 5);
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' })).body.errors).toBeNull();
    expect((await c.page('PaymentOptionSelectionPage', { payment_option: '1' })).body.errors).toBeNull();
    expect((await c.page('BinNumberPage', { bin_number: '424242' })).body.errors).toBeNull();
    expect((await c.page('InstallmentSelectionPage', { installment: '1' })).body.errors).toBeNull();

    // Another connection locks the store-credit account: the payment will wait on it.
    const locker = new Client({ connectionString: app.config.databaseUrl });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM loyalty_account WHERE id = $1 FOR UPDATE', [account.pk]);
      const final = c
        .page('CreditCardConfirmationPage', {
          agreement: '1',
          card_holder: 'Jane Doe',
          card_number: SANDBOX_CARDS.approved,
          card_month: '12',
          card_year: NEXT_YEAR,
          card_cvv: '123',
        })
        .catch((error: unknown) => error);
      const order = await until('the order to be charged', async () => {
        const found = await db.getRepository(OrderEntity).findOne({ where: { userId }, order: { id: 'DESC' } });
        return found?.status === 'charged' ? found : undefined;
      });
      // Give the payment time to reach the lock, then kill the process outright.
      await until('the payment to wait on the lock', async () => {
        const waiting = await db.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return waiting[0].n > 0 ? true : undefined;
      });
      child.kill('SIGKILL');
      await final;
      await locker.query('ROLLBACK');

      expect((await db.getRepository(OrderEntity).findOneByOrFail({ id: order.id })).status).toBe('charged');
      // Recovery leaves the order alone while the dead process's lease lasts, then completes it.
      const recovered = await until('recovery to complete the order', async () => {
        await app.app.get(OrderRecoveryWorker).runOnce();
        const now = await db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
        return now.status === 'charged' ? undefined : now;
      });
      expect(recovered.status).toBe('completed');
      const charges = await db.getRepository(CardChargeEntity).findBy({ orderId: order.id });
      expect(charges.map((x) => x.status)).toEqual(['approved']);
      const payments = await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM loyalty_transaction WHERE order_number = $1 AND kind = 'order_payment'`,
        [order.number],
      );
      expect(payments[0].n).toBe(1);
      expect(await app.app.get(LedgerQueryService).userBalance(CH, userId, 'try')).toBe(2_000n);
      expect(await app.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
    } finally {
      await locker.end();
    }
  });
});
