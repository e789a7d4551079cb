import { statementsOf } from './helpers/statements';
import { createLedgerHarness, type LedgerHarness, ledgerSnapshot } from './helpers/ledger';
import { IdempotencyConflictError, InsufficientFundsError, NegativeBalanceNotAllowedError } from '@app/ledger';

/*
 * The one-round-trip money operations (migration 1765020000000): each is one statement to the database, refusals
 * write nothing (not even the idempotency key), and the double-entry guard refuses a statement that leaves a
 * transaction unbalanced.
 */

const CH = 1;
let h: LedgerHarness;
let nextUser = 500;

beforeAll(async () => {
  h = await createLedgerHarness(8);
  await h.settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
});

afterAll(async () => {
  await h.close();
});

afterEach(async () => {
  const violations = await h.queries.checkInvariants();
  if (violations.length > 0) throw new Error(`Ledger invariants broken: ${JSON.stringify(violations)}`);
});

async function customer(balance: string): Promise<{ user: number; pk: number }> {
  const user = nextUser++;
  h.users.add(CH, user);
  const { pk } = await h.accounts.create(CH, { user, currency: 'try', balance });
  return { user, pk };
}

/** The statements of `work` that write or open a transaction: a money operation's round trips. */
async function moneyStatements(work: () => Promise<unknown>): Promise<string[]> {
  return (await statementsOf(work)).filter((text) => /ledger_|START TRANSACTION|INSERT|UPDATE/i.test(text));
}

describe('one round trip per money operation', () => {
  it('transfers in one statement, with or without an idempotency key, and replays in one', async () => {
    const a = await customer('10');
    const b = await customer('0');
    const transfer = (key?: string) =>
      h.ledger.transferOnly(
        CH,
        { amount: '1.25', source_account: a.pk, destination_account: b.pk },
        { idempotencyKey: key },
      );
    expect(await statementsOf(() => transfer())).toHaveLength(1);
    let first = '';
    expect(
      await statementsOf(async () => {
        first = await transfer('fn-transfer-1');
      }),
    ).toHaveLength(1);
    let again = '';
    expect(
      await statementsOf(async () => {
        again = await transfer('fn-transfer-1');
      }),
    ).toHaveLength(1);
    expect(again).toBe(first);
    const balances = await h.dataSource.query<{ id: number; balance: string }[]>(
      `SELECT id, balance::text AS balance FROM loyalty_account WHERE id = ANY($1) ORDER BY id`,
      [[a.pk, b.pk]],
    );
    expect(balances.map((r) => r.balance)).toEqual(['7.50', '2.50']);
  });

  it('pays an order in one statement once SALE exists, and a repeat answers the first payment', async () => {
    const { user } = await customer('50');
    await customer('0'); // another customer's account is not spent
    const first = h.orders.add(CH, 'FN-PAY-1', user, 5_000n);
    await h.ledger.payOrder(CH, { order_number: first.number, amount_minor: 100n }); // SALE now exists
    const order = h.orders.add(CH, 'FN-PAY-2', user, 5_000n);
    let paid = '';
    expect(
      await statementsOf(async () => {
        paid = (await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 1_000n })).transaction_uuid;
      }),
    ).toHaveLength(1);
    const repeat = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 1_000n });
    expect(repeat.transaction_uuid).toBe(paid);
    const [row] = await h.dataSource.query<{ balance: string }[]>(
      `SELECT balance::text AS balance FROM loyalty_account WHERE kind = 'customer' AND user_id = $1`,
      [user],
    );
    expect(row.balance).toBe('39.00');
  });

  it('creates SALE on the first payment in a currency and pays into it', async () => {
    const user = nextUser++;
    h.users.add(CH, user);
    await h.accounts.create(CH, { user, currency: 'chf', balance: '3' });
    const order = h.orders.add(CH, 'FN-PAY-CHF', user, 300n, 'chf');
    await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 300n });
    const [sale] = await h.dataSource.query<{ total: string }[]>(
      `SELECT sum(p.amount)::text AS total FROM loyalty_transfer p JOIN loyalty_account a ON a.id = p.account_id
        WHERE a.kind = 'sale' AND a.currency = 'chf'`,
    );
    expect(sale.total).toBe('3.00');
  });

  it('refunds and cross-refunds with one money statement and no transaction of its own, reversing the earning', async () => {
    const { user, pk } = await customer('100');
    const order = h.orders.add(CH, 'FN-REFUND-1', user, 10_000n);
    const paid = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 4_000n });
    // The REFUND account exists once a channel has cross-refunded in a currency (the first call creates it).
    const warmUp = h.orders.add(CH, 'FN-REFUND-0', user, 100n);
    await h.ledger.crossRefund(CH, { order_number: warmUp.number, amount: '0.01' });
    await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 600n });
    expect(
      await moneyStatements(() => h.ledger.refund(CH, { transaction_uuid: paid.transaction_uuid, amount: '10' })),
    ).toEqual([expect.stringMatching(/FROM ledger_refund\(/)]);
    expect(await moneyStatements(() => h.ledger.crossRefund(CH, { order_number: order.number, amount: '40' }))).toEqual(
      [expect.stringMatching(/FROM ledger_refund\(/)],
    );
    // 50.00 of 100.00 refunded: half the 6.00 earned went back, in two reversals (0.60, then 2.40).
    const reversals = await h.dataSource.query<{ amount: string }[]>(
      `SELECT amount::text AS amount FROM loyalty_transaction WHERE order_number = $1 AND kind = 'earning_reversal'
        ORDER BY id`,
      [order.number],
    );
    expect(reversals.map((r) => r.amount)).toEqual(['0.60', '2.40']);
    // 100 - 40 paid + 0.01 warm-up + 6 earned + 10 + 40 refunded - 3 reversed.
    expect((await h.accounts.get(CH, pk)).balance_minor).toBe(11_301n);
  });

  it('caps a refund in ledger_refund_cap: at what its payment took less its refunds, and at what the order has left', async () => {
    const { user } = await customer('100');
    const order = h.orders.add(CH, 'FN-CAP-1', user, 5_000n);
    const paid = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 3_000n });
    const [payment] = await h.dataSource.query<{ id: number }[]>(`SELECT id FROM loyalty_transaction WHERE uuid = $1`, [
      paid.transaction_uuid,
    ]);
    const cap = async (kind: 'refund' | 'cross_refund', orderTotal: string | null) =>
      (
        await h.dataSource.query<{ refunded: string; available: string }[]>(
          `SELECT refunded::text, available::text FROM ledger_refund_cap($1, $2, $3, $4, $5, $6)`,
          [kind, CH, order.number, kind === 'refund' ? payment.id : null, '30.00', orderTotal],
        )
      )[0];
    expect(await cap('refund', '50.00')).toEqual({ refunded: '0', available: '30.00' });
    await h.ledger.refund(CH, { transaction_uuid: paid.transaction_uuid, amount: '10' });
    await h.ledger.crossRefund(CH, { order_number: order.number, amount: '25' });
    // The payment has 20.00 left to give back, but the order only 15.00 (50 - 10 - 25).
    expect(await cap('refund', '50.00')).toEqual({ refunded: '35.00', available: '15.00' });
    // Without a known order total, only the payment caps it.
    expect(await cap('refund', null)).toEqual({ refunded: '35.00', available: '20.00' });
    expect(await cap('cross_refund', '50.00')).toEqual({ refunded: '35.00', available: '15.00' });
    // ledger_refund refuses past the cap, with what is left.
    await expect(
      h.ledger.refund(CH, { transaction_uuid: paid.transaction_uuid, amount: '15.01' }),
    ).rejects.toMatchObject({
      available_minor: 1_500n,
    });
  });

  it('changes a balance and debit_allowed with one money statement, refusing a negative balance without debit', async () => {
    const { pk } = await customer('10'); // its opening balance came from BANK, which now exists
    expect(await moneyStatements(() => h.accounts.update(CH, pk, { balance: '15', reason: 'goodwill' }))).toEqual([
      expect.stringMatching(/FROM ledger_adjust\(/),
    ]);
    const both = await h.accounts.update(CH, pk, { balance: '-5', debit_allowed: true });
    expect(both).toMatchObject({ balance_minor: -500n, debit_allowed: true });
    const refused = await h.accounts.update(CH, pk, { debit_allowed: false }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NegativeBalanceNotAllowedError);
    expect(refused).toMatchObject({ change: 'debit_allowed' });
    const [adjustment] = await h.dataSource.query<{ amount: string; reason: string }[]>(
      `SELECT t.amount::text AS amount, t.reason FROM loyalty_transaction t JOIN loyalty_transfer p ON p.transaction_id = t.id
        WHERE p.account_id = $1 AND t.kind = 'adjustment' ORDER BY t.id LIMIT 1`,
      [pk],
    );
    expect(adjustment).toEqual({ amount: '5.00', reason: 'goodwill' });
  });

  it('a refused transfer writes nothing, not even its idempotency key: the key works once funds arrive', async () => {
    const a = await customer('1');
    const b = await customer('0');
    const send = () =>
      h.ledger.transferOnly(
        CH,
        { amount: '2', source_account: a.pk, destination_account: b.pk },
        { idempotencyKey: 'fn-refused-1' },
      );
    const before = await ledgerSnapshot(h.dataSource);
    await expect(send()).rejects.toBeInstanceOf(InsufficientFundsError);
    expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
    const keys = await h.dataSource.query(`SELECT 1 FROM loyalty_idempotency_key WHERE key = 'fn-refused-1'`);
    expect(keys).toHaveLength(0);
    const c = await customer('5');
    await h.ledger.transfer(CH, { amount: '5', source_account: c.pk, destination_account: a.pk });
    await expect(send()).resolves.toEqual(expect.any(String));
    // The same key for another request is a conflict, answered without moving anything.
    await expect(
      h.ledger.transferOnly(
        CH,
        { amount: '3', source_account: a.pk, destination_account: b.pk },
        { idempotencyKey: 'fn-refused-1' },
      ),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
  });

  describe('the database refuses what the service would never send', () => {
    const call = (from: number, to: number, amount: string) =>
      h.dataSource.query(
        `SELECT * FROM ledger_transfer($1, $2, $3, $4, NULL, NULL, NULL, gen_random_uuid(), now(), 1e12)`,
        [CH, from, to, amount],
      );

    it.each(['0', '-1'])('a non-positive amount (%s)', async (amount) => {
      const a = await customer('1');
      const b = await customer('0');
      await expect(call(a.pk, b.pk, amount)).rejects.toThrow(/ledger_transfer: amount/);
    });

    it('one account on both sides (1 from an account to itself)', async () => {
      const a = await customer('1');
      await expect(call(a.pk, a.pk, '1')).rejects.toThrow(
        new RegExp(`ledger_transfer: amount 1 from ${a.pk} to ${a.pk}$`),
      );
    });
  });
});

describe('the double-entry guard', () => {
  /** Inserts a transaction of `amount` and the given postings (account, amount, currency) in one statement. */
  async function insertPostings(postings: [number, string, string][]): Promise<void> {
    await h.dataSource.transaction(async (m) => {
      const [{ id }] = await m.query<{ id: number }[]>(
        `INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, created_date)
         VALUES (gen_random_uuid(), $1, 'adjustment', 'try', 1, now()) RETURNING id`,
        [CH],
      );
      await m.query(
        `INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, created_date)
         SELECT $1, p.account_id, $2, p.currency, p.amount, now()
           FROM unnest($3::int[], $4::numeric[], $5::varchar[]) AS p(account_id, amount, currency)`,
        [id, CH, postings.map((p) => p[0]), postings.map((p) => p[1]), postings.map((p) => p[2])],
      );
      // Keep the running balances in step, so that a posting the guard lets in leaves the audit clean.
      for (const [account, amount] of postings) {
        await m.query(`UPDATE loyalty_account SET balance = balance + $1 WHERE id = $2 AND kind = 'customer'`, [
          amount,
          account,
        ]);
      }
    });
  }

  describe('refuses a statement that leaves a transaction unbalanced, writing nothing', () => {
    let a: { pk: number };
    let b: { pk: number };
    beforeAll(async () => {
      a = await customer('10');
      b = await customer('10');
    });
    const expectRefusedWritingNothing = async (postings: [number, string, string][], message: RegExp) => {
      const before = await ledgerSnapshot(h.dataSource);
      await expect(insertPostings(postings)).rejects.toThrow(message);
      expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
    };

    it('refuses a transaction with one posting (5)', async () => {
      await expectRefusedWritingNothing([[a.pk, '5', 'try']], /unbalanced \(1 postings/);
    });

    it('refuses postings that do not sum to zero (-5 and 4: -1.00)', async () => {
      await expectRefusedWritingNothing(
        [
          [a.pk, '-5', 'try'],
          [b.pk, '4', 'try'],
        ],
        /unbalanced \(2 postings, sum -1.00/,
      );
    });

    it('refuses a posting in another currency (-5 try, 5 usd)', async () => {
      await expectRefusedWritingNothing(
        [
          [a.pk, '-5', 'try'],
          [b.pk, '5', 'usd'],
        ],
        /1 in another currency or channel/,
      );
    });
  });

  it('lets in a balanced transaction of many postings written by one statement', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, () => customer('10')));
    const postings = accounts.map((a, i): [number, string, string] => [a.pk, i < 3 ? '-2' : '2', 'try']);
    await expect(insertPostings(postings)).resolves.toBeUndefined();
  });
});

describe('system balances kept in striped totals (migration 1765080000000)', () => {
  /** The system account of `kind` in TRY, as the account list shows it. */
  async function system(kind: 'sale' | 'bank') {
    const { results } = await h.accounts.list(CH, { kind, currency: 'try' });
    return results[0];
  }

  it('reads SALE and BANK without reading their postings, and sums concurrent payments exactly', async () => {
    const payers = await Promise.all(Array.from({ length: 12 }, () => customer('20')));
    const orders = payers.map(({ user }, i) => h.orders.add(CH, `STRIPE-${user}-${i}`, user, 2_000n));
    const saleBefore = (await system('sale'))?.balance_minor ?? 0n;
    await Promise.all(
      orders.map((order, i) => h.ledger.payOrder(CH, { order_number: order.number, amount_minor: BigInt(100 + i) })),
    );
    const sale = await system('sale');
    const paid = orders.reduce((sum, _order, i) => sum + BigInt(100 + i), 0n);
    expect(sale.balance_minor - saleBefore).toBe(paid);

    const texts = await statementsOf(() => h.accounts.get(CH, sale.pk));
    expect(texts.join('\n')).toContain('loyalty_system_balance');
    expect(texts.join('\n')).not.toContain('loyalty_transfer');
    // Each payment added to one stripe row: fewer rows than payments, never more than 16 per account.
    const [{ n }] = await h.dataSource.query<{ n: string }[]>(
      `SELECT count(*)::text AS n FROM loyalty_system_balance WHERE account_id = $1`,
      [sale.pk],
    );
    expect(Number(n)).toBeLessThanOrEqual(16);
    // BANK too (the opening balances): its striped total is the sum of its postings.
    const bank = await system('bank');
    const [{ posted }] = await h.dataSource.query<{ posted: string }[]>(
      `SELECT (sum(amount) * 100)::bigint::text AS posted FROM loyalty_transfer WHERE account_id = $1`,
      [bank.pk],
    );
    expect(bank.balance_minor).toBe(BigInt(posted));
  });

  it('is audited: a striped total that drifts from the postings is reported', async () => {
    const sale = await system('sale');
    await h.dataSource.query(
      `UPDATE loyalty_system_balance SET balance = balance + 1 WHERE account_id = $1 AND stripe = (SELECT min(stripe) FROM loyalty_system_balance WHERE account_id = $1)`,
      [sale.pk],
    );
    try {
      const violations = await h.queries.checkInvariants(CH);
      expect(violations).toContainEqual(
        expect.objectContaining({
          invariant: 'system_balance_equals_postings',
          detail: expect.stringContaining(`${sale.pk}`),
        }),
      );
    } finally {
      await h.dataSource.query(
        `UPDATE loyalty_system_balance SET balance = balance - 1 WHERE account_id = $1 AND stripe = (SELECT min(stripe) FROM loyalty_system_balance WHERE account_id = $1)`,
        [sale.pk],
      );
    }
  });
});
