import fc from 'fast-check';
import { formatAmount, type MinorUnits } from '@app/common';
import type { TransactionView } from '@app/ledger';
import { createLedgerHarness, type LedgerHarness, ledgerSnapshot } from './helpers/ledger';

/**
 * Random sequences of ledger operations against an independent in-test model. After every step: the service
 * accepted exactly what the model accepts, every balance equals the model's, the ledger's own invariant audit is
 * clean (conservation per channel+currency, balance == sum of postings, no forbidden negative), and a refused
 * step changed nothing. PROPERTY_RUNS sets the number of sequences (default 25, kept small for 2 cores).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 25);
const CURRENCIES = ['try', 'eur'] as const;
const USERS = [1, 2, 3] as const;

interface ModelAccount {
  id: number;
  kind: 'customer' | 'invoice';
  user: number;
  currency: string;
  balance: MinorUnits;
  debit: boolean;
}
interface ModelOrder {
  number: string;
  user: number;
  currency: string;
  total: MinorUnits;
  refunded: MinorUnits;
}
interface ModelPayment {
  uuid: string;
  order: ModelOrder;
  amount: MinorUnits;
  refunded: MinorUnits;
}

const minor = (min: number, max: number) => fc.bigInt({ min: BigInt(min), max: BigInt(max) });
const amountInput = fc.oneof(
  { weight: 8, arbitrary: minor(1, 12_000).map((m) => ({ text: formatAmount(m), minor: m })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 1, max: 120 }).map((n) => ({ text: n, minor: BigInt(n) * 100n })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('0', '-1.00', '1.001', 'abc', '1e3', '').map((t) => ({ text: t, minor: null })),
  },
);

const createOp = fc.record({
  t: fc.constant('create' as const),
  user: fc.constantFrom(...USERS),
  // Mostly one currency, so that transfers between accounts are often possible.
  currency: fc.constantFrom('try', 'try', 'eur'),
  balance: minor(-3_000, 20_000),
  debit: fc.boolean(),
});
const transferOp = fc.record({
  t: fc.constant('transfer' as const),
  src: fc.nat(8),
  dst: fc.nat(8),
  amount: amountInput,
});
const adjustOp = fc.record({
  t: fc.constant('adjust' as const),
  account: fc.nat(8),
  balance: fc.option(minor(-3_000, 20_000)),
  debit: fc.option(fc.boolean()),
});
const payOp = fc.record({
  t: fc.constant('pay' as const),
  user: fc.constantFrom(...USERS),
  currency: fc.constantFrom(...CURRENCIES),
  amount: minor(1, 15_000),
  extra: minor(0, 5_000),
});
const refundOp = fc.record({
  t: fc.constant('refund' as const),
  payment: fc.nat(8),
  amount: minor(1, 8_000),
  invoice: fc.boolean(),
});
const crossOp = fc.record({
  t: fc.constant('cross' as const),
  order: fc.nat(8),
  card: fc.option(
    fc.record({ user: fc.constantFrom(...USERS), currency: fc.constantFrom(...CURRENCIES), total: minor(1, 9_000) }),
  ),
  amount: minor(1, 8_000),
  invoice: fc.boolean(),
});
const replayOp = fc.record({ t: fc.constant('replay' as const) });
const opArb = fc.oneof(
  { weight: 3, arbitrary: createOp },
  { weight: 3, arbitrary: transferOp },
  { weight: 2, arbitrary: adjustOp },
  { weight: 3, arbitrary: payOp },
  { weight: 3, arbitrary: refundOp },
  { weight: 2, arbitrary: crossOp },
  { weight: 1, arbitrary: replayOp },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

let h: LedgerHarness;
let channel = 100;

beforeAll(async () => {
  h = await createLedgerHarness(4);
});

afterAll(async () => {
  await h.close();
});

async function succeeded<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The credited customer/invoice account of a refund: found in the model, or added to it (opened by the refund). */
function creditTarget(model: ModelAccount[], tx: TransactionView, user: number, currency: string): ModelAccount {
  const credit = tx.transfers.find((t) => t.amount_minor > 0n)!;
  let target = model.find((a) => a.id === credit.account);
  if (!target) {
    target = {
      id: credit.account,
      kind: credit.account_kind as 'customer' | 'invoice',
      user,
      currency,
      balance: 0n,
      debit: false,
    };
    model.push(target);
  }
  return target;
}

async function runSequence(ops: Op[]): Promise<void> {
  const ch = channel++;
  for (const user of USERS) h.users.add(ch, user);
  await h.settings.patch(ch, { LOYALTY_MONEY_ENABLED: true });
  const accounts: ModelAccount[] = [];
  const orders: ModelOrder[] = [];
  const payments: ModelPayment[] = [];
  let lastTransfer: { input: Parameters<LedgerHarness['ledger']['transfer']>[1]; key: string; uuid: string } | null =
    null;

  for (const [step, op] of ops.entries()) {
    const before = await ledgerSnapshot(h.dataSource);
    let expectOk: boolean;
    let outcome: { ok: boolean; error?: unknown };
    switch (op.t) {
      case 'create': {
        expectOk =
          !accounts.some((a) => a.kind === 'customer' && a.user === op.user && a.currency === op.currency) &&
          (op.balance >= 0n || op.debit);
        const r = await succeeded(() =>
          h.accounts.create(ch, {
            user: op.user,
            currency: op.currency,
            balance: formatAmount(op.balance),
            debit_allowed: op.debit,
          }),
        );
        outcome = r;
        if (r.ok && expectOk) {
          accounts.push({
            id: r.value.pk,
            kind: 'customer',
            user: op.user,
            currency: op.currency,
            balance: op.balance,
            debit: op.debit,
          });
        }
        break;
      }
      case 'transfer': {
        // One index in (n + 1) names no account: an unknown id.
        const src = accounts[op.src % (accounts.length + 1)];
        const dst = accounts[op.dst % (accounts.length + 1)];
        const amount = op.amount.minor;
        expectOk =
          amount !== null &&
          src !== undefined &&
          dst !== undefined &&
          src.id !== dst.id &&
          src.currency === dst.currency &&
          (src.debit || src.balance >= amount);
        const input = {
          amount: op.amount.text,
          source_account: src?.id ?? 999_999,
          destination_account: dst?.id ?? 999_998,
        };
        const key = `k-${ch}-${step}`;
        const r = await succeeded(() => h.ledger.transfer(ch, input, { idempotencyKey: key }));
        outcome = r;
        if (r.ok && expectOk) {
          src.balance -= amount!;
          dst.balance += amount!;
          lastTransfer = { input, key, uuid: r.value.uuid };
        }
        break;
      }
      case 'adjust': {
        const account = accounts[op.account % Math.max(accounts.length, 1)];
        if (!account) continue;
        const finalDebit = op.debit ?? account.debit;
        const finalBalance = op.balance ?? account.balance;
        expectOk = finalBalance >= 0n || finalDebit;
        const r = await succeeded(() =>
          h.accounts.update(ch, account.id, {
            balance: op.balance === null ? null : formatAmount(op.balance),
            debit_allowed: op.debit,
          }),
        );
        outcome = r;
        if (r.ok && expectOk) {
          account.balance = finalBalance;
          account.debit = finalDebit;
        }
        break;
      }
      case 'pay': {
        const order: ModelOrder = {
          number: `P-${step}`,
          user: op.user,
          currency: op.currency,
          total: op.amount + op.extra,
          refunded: 0n,
        };
        h.orders.add(ch, order.number, order.user, order.total, order.currency);
        const spendable = accounts.filter((a) => a.user === op.user && a.currency === op.currency); // id order = age
        const available = spendable.reduce((sum, a) => sum + (a.balance > 0n ? a.balance : 0n), 0n);
        expectOk = available >= op.amount;
        const r = await succeeded(() => h.ledger.payOrder(ch, { order_number: order.number, amount_minor: op.amount }));
        outcome = r;
        if (r.ok && expectOk) {
          let remaining = op.amount;
          for (const a of spendable) {
            const take = a.balance > 0n ? (a.balance < remaining ? a.balance : remaining) : 0n;
            a.balance -= take;
            remaining -= take;
          }
          orders.push(order);
          payments.push({ uuid: r.value.transaction_uuid, order, amount: op.amount, refunded: 0n });
        }
        break;
      }
      case 'refund': {
        const payment = payments[op.payment % Math.max(payments.length, 1)];
        if (!payment) continue;
        const { order } = payment;
        expectOk = op.amount <= payment.amount - payment.refunded && op.amount <= order.total - order.refunded;
        const invoice = op.invoice ? `INV-${order.user}` : null;
        const r = await succeeded(() =>
          h.ledger.refund(ch, {
            transaction_uuid: payment.uuid,
            amount: formatAmount(op.amount),
            invoice_number: invoice,
          }),
        );
        outcome = r;
        if (r.ok && expectOk) {
          const target = creditTarget(accounts, r.value, order.user, order.currency);
          expect(target.kind).toBe(invoice ? 'invoice' : 'customer');
          target.balance += op.amount;
          payment.refunded += op.amount;
          order.refunded += op.amount;
        }
        break;
      }
      case 'cross': {
        let order = orders[op.order % Math.max(orders.length, 1)];
        if (op.card || !order) {
          const card = op.card ?? { user: 1, currency: 'try', total: 5_000n };
          order = { number: `C-${step}`, user: card.user, currency: card.currency, total: card.total, refunded: 0n };
          h.orders.add(ch, order.number, order.user, order.total, order.currency);
          orders.push(order);
        }
        const target = order;
        expectOk = op.amount <= target.total - target.refunded;
        const invoice = op.invoice ? `INV-${target.user}` : null;
        const r = await succeeded(() =>
          h.ledger.crossRefund(ch, {
            order_number: target.number,
            amount: formatAmount(op.amount),
            invoice_number: invoice,
          }),
        );
        outcome = r;
        if (r.ok && expectOk) {
          creditTarget(accounts, r.value, target.user, target.currency).balance += op.amount;
          target.refunded += op.amount;
        }
        break;
      }
      case 'replay': {
        if (!lastTransfer) continue;
        const replay = lastTransfer;
        expectOk = true;
        const r = await succeeded(() => h.ledger.transfer(ch, replay.input, { idempotencyKey: replay.key }));
        outcome = r;
        if (r.ok) expect(r.value.uuid).toBe(replay.uuid);
        expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
        break;
      }
    }
    if (outcome.ok !== expectOk) {
      throw new Error(
        `step ${step} ${JSON.stringify(op, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}: expected ${expectOk ? 'success' : 'refusal'}, got ${outcome.ok ? 'success' : String(outcome.error)}`,
      );
    }
    if (!outcome.ok) expect(await ledgerSnapshot(h.dataSource)).toEqual(before);

    const rows: { id: number; balance: string }[] = await h.dataSource.query(
      `SELECT "id", "balance"::text AS "balance" FROM "loyalty_account" WHERE "channel_id" = $1 AND "kind" IN ('customer', 'invoice')`,
      [ch],
    );
    expect(Object.fromEntries(rows.map((row) => [row.id, row.balance]))).toEqual(
      Object.fromEntries(accounts.map((a) => [a.id, formatAmount(a.balance)])),
    );
    expect(await h.queries.checkInvariants(ch)).toEqual([]);
  }
}

describe('ledger property', () => {
  it(
    'agrees with an independent model and keeps every invariant after every step',
    async () => {
      const run = fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40, size: 'medium' }), async (ops) => {
          await runSequence(ops);
        }),
        { numRuns: RUNS },
      );
      await expect(run).resolves.toBeUndefined();
    },
    Math.max(60_000, RUNS * 2_000),
  ); // more runs, more time: PROPERTY_RUNS=500 is a fine overnight soak
});
