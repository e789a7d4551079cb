import {
  CustomerAccountExistsError,
  IdempotencyConflictError,
  InsufficientFundsError,
  RefundCapExceededError,
} from '@app/ledger';
import { createLedgerHarness, type LedgerHarness } from './helpers/ledger';

/** Concurrency on a real PostgreSQL: many requests at once, through a pool of 20 connections. */
const CH = 1;
let h: LedgerHarness;

beforeAll(async () => {
  h = await createLedgerHarness(20);
  for (let id = 1; id <= 60; id++) h.users.add(CH, id);
  await h.settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
});

afterAll(async () => {
  await h.close();
});

afterEach(async () => {
  // Every test leaves a sound ledger behind (a hook may not use expect: it throws instead).
  const violations = await h.queries.checkInvariants();
  if (violations.length > 0) throw new Error(`Ledger invariants broken: ${JSON.stringify(violations)}`);
});

function settle<T>(works: (() => Promise<T>)[]) {
  return Promise.allSettled(works.map((work) => work()));
}

function rejectionsOf(results: PromiseSettledResult<unknown>[]): unknown[] {
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
}

describe('ledger under concurrency', () => {
  it('lets exactly 10 of 50 concurrent 10.00 transfers drain an account of 100.00', async () => {
    const source = await h.accounts.create(CH, { user: 1, currency: 'try', balance: '100.00' });
    const destination = await h.accounts.create(CH, { user: 2, currency: 'try' });
    const results = await settle(
      Array.from(
        { length: 50 },
        () => () =>
          h.ledger.transfer(CH, { amount: '10.00', source_account: source.pk, destination_account: destination.pk }),
      ),
    );
    const rejections = rejectionsOf(results);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(rejections).toHaveLength(40);
    for (const reason of rejections) expect(reason).toBeInstanceOf(InsufficientFundsError);
    expect((await h.accounts.get(CH, source.pk)).balance_minor).toBe(0n);
    expect((await h.accounts.get(CH, destination.pk)).balance_minor).toBe(10_000n);
  });

  it('never lets 20 concurrent refunds of one payment exceed what it took', async () => {
    await h.accounts.create(CH, { user: 16, currency: 'try', balance: '100.00' });
    // The order total is higher than the payment: the payment is the binding cap.
    const order = h.orders.add(CH, 'C-PAYMENT', 16, 9_000n);
    const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 5_000n });
    const results = await settle(
      Array.from({ length: 20 }, () => () => h.ledger.refund(CH, { transaction_uuid, amount: '7.00' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    for (const reason of rejectionsOf(results)) expect(reason).toBeInstanceOf(RefundCapExceededError);
    const refunds = await h.queries.listTransactions(CH, { order: order.number, kind: 'refund' });
    expect(refunds.count).toBe(7);
  });

  it('never lets 20 concurrent refunds and cross-refunds of one order exceed the cap', async () => {
    await h.accounts.create(CH, { user: 3, currency: 'try', balance: '100.00' });
    const order = h.orders.add(CH, 'C-REFUND', 3, 5_000n);
    const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 5_000n });
    const results = await settle(
      Array.from(
        { length: 20 },
        (_, i) => () =>
          i % 2 === 0
            ? h.ledger.refund(CH, { transaction_uuid, amount: '7.00' })
            : h.ledger.crossRefund(CH, { order_number: order.number, amount: '7.00' }),
      ),
    );
    // 50.00 / 7.00: seven fit, whichever kind wins the order lock.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    for (const reason of rejectionsOf(results)) expect(reason).toBeInstanceOf(RefundCapExceededError);
    expect(await h.queries.userBalance(CH, 3, 'try')).toBe(10_000n - 5_000n + 4_900n);
  });

  it('moves money once for one idempotency key sent 20 times at once', async () => {
    const source = await h.accounts.create(CH, { user: 4, currency: 'try', balance: '100.00' });
    const destination = await h.accounts.create(CH, { user: 5, currency: 'try' });
    const input = { amount: '10', source_account: source.pk, destination_account: destination.pk };
    const results = await settle(
      Array.from({ length: 20 }, () => () => h.ledger.transfer(CH, input, { idempotencyKey: 'same-key' })),
    );
    const uuids = results.map((r) => (r.status === 'fulfilled' ? r.value.uuid : r.reason));
    expect(new Set(uuids).size).toBe(1);
    expect((await h.accounts.get(CH, source.pk)).balance_minor).toBe(9_000n);
    expect((await h.queries.listTransfers(CH, { account: source.pk })).count).toBe(2);
  });

  it('answers a conflicting request under a key in flight with IdempotencyConflictError', async () => {
    const source = await h.accounts.create(CH, { user: 6, currency: 'try', balance: '100.00' });
    const destination = await h.accounts.create(CH, { user: 7, currency: 'try' });
    const results = await settle(
      Array.from(
        { length: 10 },
        (_, i) => () =>
          h.ledger.transfer(
            CH,
            { amount: i % 2 === 0 ? '10' : '11', source_account: source.pk, destination_account: destination.pk },
            { idempotencyKey: 'mixed-key' },
          ),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    expect(new Set(fulfilled.map((r) => r.value.uuid)).size).toBe(1);
    for (const reason of rejectionsOf(results)) expect(reason).toBeInstanceOf(IdempotencyConflictError);
    expect((await h.queries.listTransfers(CH, { account: source.pk })).count).toBe(2);
  });

  it('does not deadlock when transfers cross between two accounts in both directions', async () => {
    const a = await h.accounts.create(CH, { user: 8, currency: 'try', balance: '100.00' });
    const b = await h.accounts.create(CH, { user: 9, currency: 'try', balance: '100.00' });
    const results = await settle(
      Array.from(
        { length: 30 },
        (_, i) => () =>
          h.ledger.transfer(CH, {
            amount: '1',
            source_account: i % 2 === 0 ? a.pk : b.pk,
            destination_account: i % 2 === 0 ? b.pk : a.pk,
          }),
      ),
    );
    expect(rejectionsOf(results)).toEqual([]);
    expect((await h.accounts.get(CH, a.pk)).balance_minor).toBe(10_000n);
  });

  it('pays orders while the SALE row is locked: payments never wait on the hot account', async () => {
    await h.accounts.create(CH, { user: 10, currency: 'eur', balance: '100.00' });
    h.orders.add(CH, 'HOT-0', 10, 100n, 'eur');
    await h.ledger.payOrder(CH, { order_number: 'HOT-0', amount_minor: 100n }); // creates SALE/eur
    const runner = h.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // The lock an UPDATE of the row's balance takes: with a running balance on SALE, every payment would need it.
      await runner.query(
        `SELECT "id" FROM "loyalty_account" WHERE "channel_id" = $1 AND "kind" = 'sale' AND "currency" = 'eur'
          FOR NO KEY UPDATE`,
        [CH],
      );
      const payers = [11, 12, 13, 14, 15];
      for (const user of payers) {
        await h.accounts.create(CH, { user, currency: 'eur', balance: '10.00' });
        h.orders.add(CH, `HOT-${user}`, user, 500n, 'eur');
      }
      const results = await settle(
        payers.map((user) => () => h.ledger.payOrder(CH, { order_number: `HOT-${user}`, amount_minor: 500n })),
      );
      expect(rejectionsOf(results)).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('pays an order once when checkout sends it 10 times at once', async () => {
    await h.accounts.create(CH, { user: 30, currency: 'try', balance: '100.00' });
    h.orders.add(CH, 'TWICE', 30, 2_500n);
    const results = await settle(
      Array.from({ length: 10 }, () => () => h.ledger.payOrder(CH, { order_number: 'TWICE', amount_minor: 2_500n })),
    );
    expect(rejectionsOf(results)).toEqual([]);
    expect(new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.transaction_uuid : null))).size).toBe(1);
    expect(await h.queries.userBalance(CH, 30, 'try')).toBe(7_500n);
  });

  it('opens one customer account when 10 identical creations race', async () => {
    const results = await settle(
      Array.from({ length: 10 }, () => () => h.accounts.create(CH, { user: 20, currency: 'usd', balance: '1' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const reason of rejectionsOf(results)) expect(reason).toBeInstanceOf(CustomerAccountExistsError);
    expect((await h.accounts.list(CH, { user: 20, currency: 'usd' })).count).toBe(1);
  });
});
