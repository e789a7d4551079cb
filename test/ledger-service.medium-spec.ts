import { ValidationFailedError } from '@app/common';
import { fundedAccount } from './helpers/fixtures';
import { createLedgerHarness, type LedgerHarness, ledgerSnapshot } from './helpers/ledger';
import { shownByOmnitron } from './helpers/ledger-edge';
import {
  AccountNotFoundError,
  AmountExceedsOrderError,
  CurrencyMismatchError,
  IdempotencyConflictError,
  InsufficientFundsError,
  LoyaltyMoneyDisabledError,
  OrderingInvalidError,
  OrderPaymentConflictError,
  PageOutOfRangeError,
  RefundCapExceededError,
  TransactionNotFoundError,
  LedgerQueryService,
  LedgerService,
  LoyaltyAccountService,
} from '@app/ledger';
import { DynamicSettingsService, SettingUnknownError, SettingValueInvalidError } from '@app/settings';

const CH = 1;
const OTHER_CH = 2;

let h: LedgerHarness;

beforeAll(async () => {
  h = await createLedgerHarness(8);
  for (const id of [10, 11, 12, 13, 14]) h.users.add(CH, id);
  h.users.add(OTHER_CH, 20);
  h.users.add(CH, 15, 'twin@example.com');
  h.users.add(CH, 16, 'twin@example.com');
});

afterAll(async () => {
  await h.close();
});

afterEach(async () => {
  // Every test leaves a sound ledger behind (a hook may not use expect: it throws instead).
  const violations = await h.queries.checkInvariants();
  if (violations.length > 0) throw new Error(`Ledger invariants broken: ${JSON.stringify(violations)}`);
});

/** Asserts `work` throws `type` naming `field`, and that it moved nothing. */
async function expectRefused(
  work: () => Promise<unknown>,
  type: abstract new (...args: never) => Error,
  field?: string,
): Promise<void> {
  const before = await ledgerSnapshot(h.dataSource);
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  // A ledger error is checked as itself and, for its field, as the back office answers it (its edge table).
  const shown = shownByOmnitron(error);
  expect(error instanceof type || shown instanceof type).toBe(true);
  if (field !== undefined) {
    expect(shown).toBeInstanceOf(ValidationFailedError);
    expect(Object.keys((shown as ValidationFailedError).fieldErrors ?? {})).toEqual([field]);
  }
  expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
}

let nextUser = 100;
function newUser(channelId = CH): number {
  const id = nextUser++;
  h.users.add(channelId, id);
  return id;
}

async function account(balance: string, options: { user?: number; debit?: boolean; currency?: string } = {}) {
  return fundedAccount(h, {
    owner: options.user ?? newUser(),
    currency: options.currency ?? 'try',
    balance,
    debitAllowed: options.debit ?? false,
  });
}

async function enableMoney(channelId = CH): Promise<void> {
  await h.settings.patch(channelId, { LOYALTY_MONEY_ENABLED: true });
}

describe(LoyaltyAccountService.name, () => {
  describe('create', () => {
    it('opens an account with its balance moved from BANK', async () => {
      const created = await h.accounts.create(CH, {
        user: 10,
        currency: 'EUR',
        balance: '100.00',
        debit_allowed: true,
      });
      expect(created).toMatchObject({
        user: 10,
        user_email: 'user10@example.com',
        currency: 'eur',
        balance_minor: 10_000n,
        debit_allowed: true,
        kind: 'customer',
      });
      expect(created.number).toMatch(/^[0-9a-f]{32}$/);
      const bank = await h.accounts.list(CH, { kind: 'bank', currency: 'eur' });
      expect(bank.results[0]).toMatchObject({ number: 'Bank', balance_minor: -10_000n, user: null });
      const transfers = await h.queries.listTransfers(CH, { account: created.pk });
      expect(transfers.results[0]).toMatchObject({ amount_minor: 10_000n, balance_after_minor: 10_000n });
      expect(transfers.results[0].transaction.kind).toBe('opening');
    });

    it('finds the user by email and keeps the given number', async () => {
      const created = await h.accounts.create(CH, {
        user_email: 'USER11@example.com',
        currency: 'try',
        number: 'N-11',
      });
      expect(created).toMatchObject({ user: 11, number: 'N-11', balance_minor: 0n });
    });

    describe('beside user 12’s usd account numbered U12', () => {
      beforeAll(async () => {
        await h.accounts.create(CH, { user: 12, currency: 'usd', number: 'U12' });
      });

      it.each([
        ['a second usd account of user 12', 'user', { user: 12, currency: 'usd' }],
        ['the taken number U12', 'number', { user: 13, currency: 'usd', number: 'U12' }],
        ['the number of the BANK accounts', 'number', { user: 13, currency: 'usd', number: 'Bank' }],
      ])('refuses %s: a field error on %s, moving nothing', async (_rule, field, input) => {
        await expectRefused(() => h.accounts.create(CH, input), ValidationFailedError, field);
      });

      it('opens user 12 an account in another currency: another currency is another account', async () => {
        await expect(h.accounts.create(CH, { user: 12, currency: 'eur' })).resolves.toMatchObject({ currency: 'eur' });
      });
    });

    it.each([
      ['an unknown user', 'user', { user: 999, currency: 'try' }],
      ['a user of another channel', 'user', { user: 20, currency: 'try' }],
      [
        'an email that is not the user’s',
        'user_email',
        { user: 13, user_email: 'user14@example.com', currency: 'try' },
      ],
      ['an email two users share', 'user_email', { user_email: 'twin@example.com', currency: 'try' }],
      ['currency tl (no such currency)', 'currency', { user: 13, currency: 'tl' }],
      ['a balance of -1.00 (negative)', 'balance', { user: 13, currency: 'try', balance: '-1.00' }],
      ['a balance of 1.001 (three decimals)', 'balance', { user: 13, currency: 'try', balance: '1.001' }],
    ])('refuses an account of %s: a field error on %s, moving nothing', async (_rule, field, input) => {
      await expectRefused(() => h.accounts.create(CH, input), ValidationFailedError, field);
    });

    it('opens one account for one idempotency key sent twice', async () => {
      const user = newUser();
      const input = { user, currency: 'try', balance: '5' };
      const first = await h.accounts.create(CH, input, { idempotencyKey: 'create-1' });
      const again = await h.accounts.create(CH, { ...input, balance: 5 }, { idempotencyKey: 'create-1' });
      expect(again.pk).toBe(first.pk);
      await expectRefused(
        () => h.accounts.create(CH, { ...input, balance: '6' }, { idempotencyKey: 'create-1' }),
        IdempotencyConflictError,
      );
    });
  });

  describe('update', () => {
    it('sets a balance through an adjustment with BANK, recording the actor and reason', async () => {
      const acc = await account('100.00');
      const updated = await h.accounts.update(CH, acc.pk, { balance: '130.00', reason: 'goodwill' }, { actorId: 7 });
      expect(updated.balance_minor).toBe(13_000n);
      const down = await h.accounts.update(CH, acc.pk, { balance: 50 }, { actorId: 7 });
      expect(down.balance_minor).toBe(5_000n);
      const transfers = await h.queries.listTransfers(CH, { account: acc.pk });
      expect(transfers.results.map((t) => [t.amount_minor, t.balance_after_minor, t.transaction.kind])).toEqual([
        [-8_000n, 5_000n, 'adjustment'],
        [3_000n, 13_000n, 'adjustment'],
        [10_000n, 10_000n, 'opening'],
      ]);
      expect(transfers.results[1].transaction.actor).toBe(7);
      const tx = await h.queries.getTransaction(CH, transfers.results[1].transaction.uuid);
      expect(tx.reason).toBe('goodwill');
    });

    it('changes debit_allowed, and refuses a negative balance without it', async () => {
      const acc = await account('10.00');
      await expectRefused(() => h.accounts.update(CH, acc.pk, { balance: '-5' }), ValidationFailedError, 'balance');
      const debit = await h.accounts.update(CH, acc.pk, { balance: '-5', debit_allowed: true });
      expect(debit).toMatchObject({ balance_minor: -500n, debit_allowed: true });
      await expectRefused(
        () => h.accounts.update(CH, acc.pk, { debit_allowed: false }),
        ValidationFailedError,
        'debit_allowed',
      );
      const back = await h.accounts.update(CH, acc.pk, { balance: '0', debit_allowed: false });
      expect(back).toMatchObject({ balance_minor: 0n, debit_allowed: false });
    });

    it.each([
      ['number', { number: 'x' }],
      ['currency', { currency: 'eur' }],
      ['user', { user: 10 }],
    ])('refuses a change of %s on an account holding 1.00, moving nothing', async (field, change) => {
      const acc = await account('1');
      await expectRefused(() => h.accounts.update(CH, acc.pk, change), ValidationFailedError, field);
    });

    it('takes the number unchanged beside a new balance of 2.00', async () => {
      const acc = await account('1');
      await expect(h.accounts.update(CH, acc.pk, { number: acc.number, balance: '2' })).resolves.toMatchObject({
        balance_minor: 200n,
      });
    });

    it('refuses a balance of 3.00 on an account of another channel: not found, moving nothing', async () => {
      const acc = await account('1');
      await expectRefused(() => h.accounts.update(OTHER_CH, acc.pk, { balance: '3' }), AccountNotFoundError);
    });

    it('finds no unknown account', async () => {
      await expect(h.accounts.get(CH, 987_654)).rejects.toBeInstanceOf(AccountNotFoundError);
    });
  });

  describe('list', () => {
    it('filters, orders and pages', async () => {
      const user = newUser();
      h.users.add(CH, user + 1000, 'lister@example.com');
      await account('1', { user, currency: 'gbp' });
      await account('3', { user: user + 1000, currency: 'gbp' });
      await account('2', { user, currency: 'chf' });
      const byUser = await h.accounts.list(CH, { user }, '-balance');
      expect(byUser.results.map((a) => a.balance_minor)).toEqual([200n, 100n]);
      const byEmail = await h.accounts.list(CH, { user_email: 'lister@example.com' });
      expect(byEmail.results.map((a) => a.user)).toEqual([user + 1000]);
      const gbp = await h.accounts.list(CH, { currency: 'GBP', kind: 'customer' }, 'balance', { offset: 1, limit: 1 });
      expect(gbp).toMatchObject({ count: 2, results: [{ balance_minor: 300n }] });
      await expect(h.accounts.list(CH, {}, 'user_email')).rejects.toBeInstanceOf(OrderingInvalidError);
      await expect(h.accounts.list(CH, {}, 'pk', { offset: 0, limit: 101 })).rejects.toBeInstanceOf(
        PageOutOfRangeError,
      );
      expect((await h.accounts.list(OTHER_CH, { user })).count).toBe(0);
    });
  });
});

describe(LedgerService.name, () => {
  describe('transfer', () => {
    it('moves money between accounts of one currency, with balances after each posting', async () => {
      const a = await account('100.00');
      const b = await account('0');
      const tx = await h.ledger.transfer(CH, { amount: '20', source_account: a.pk, destination_account: b.pk });
      expect(tx).toMatchObject({ kind: 'transfer', amount_minor: 2_000n, currency: 'try' });
      expect(tx.transfers.map((t) => [t.account, t.amount_minor, t.balance_after_minor])).toEqual([
        [a.pk, -2_000n, 8_000n],
        [b.pk, 2_000n, 2_000n],
      ]);
      await h.ledger.transfer(CH, { amount: 20, source_account: String(a.pk), destination_account: b.pk });
      expect((await h.accounts.get(CH, a.pk)).balance_minor).toBe(6_000n);
      expect((await h.accounts.get(CH, b.pk)).balance_minor).toBe(4_000n);
    });

    it('refuses more than the balance unless debit is allowed', async () => {
      const a = await account('10.00');
      const d = await account('10.00', { debit: true });
      const b = await account('0');
      await expectRefused(
        () => h.ledger.transfer(CH, { amount: '10.01', source_account: a.pk, destination_account: b.pk }),
        InsufficientFundsError,
        'amount',
      );
      await h.ledger.transfer(CH, { amount: '25', source_account: d.pk, destination_account: b.pk });
      expect((await h.accounts.get(CH, d.pk)).balance_minor).toBe(-1_500n);
    });

    describe('refusals of a transfer of 1.00 from an account holding 10.00', () => {
      let a: { pk: number };
      let eur: { pk: number };
      let foreign: { pk: number };
      beforeAll(async () => {
        a = await account('10.00');
        eur = await account('0', { currency: 'eur' });
        h.users.add(OTHER_CH, 21);
        foreign = await h.accounts.create(OTHER_CH, { user: 21, currency: 'try' });
      });

      const refusals: [string, string, abstract new (...args: never) => Error, () => Record<string, unknown>][] = [
        [
          'to an account of another currency',
          'destination_account',
          CurrencyMismatchError,
          () => ({ source_account: a.pk, destination_account: eur.pk }),
        ],
        [
          'from an unknown account',
          'source_account',
          ValidationFailedError,
          () => ({ source_account: 999_999, destination_account: a.pk }),
        ],
        [
          'to an account of another channel',
          'destination_account',
          ValidationFailedError,
          () => ({ source_account: a.pk, destination_account: foreign.pk }),
        ],
        [
          'to the same account',
          'destination_account',
          ValidationFailedError,
          () => ({ source_account: a.pk, destination_account: a.pk }),
        ],
        [
          'from account id "abc" (not a number)',
          'source_account',
          ValidationFailedError,
          () => ({ source_account: 'abc', destination_account: a.pk }),
        ],
      ];
      it.each(refusals)(
        'refuses a transfer %s: a field error on %s, moving nothing',
        async (_rule, field, type, accounts) => {
          await expectRefused(() => h.ledger.transfer(CH, { amount: '1', ...accounts() }), type, field);
        },
      );
    });

    it.each([
      ['-5', 'negative'],
      ['0', 'zero'],
      [0, 'zero as a number'],
      ['1.005', 'three decimals'],
      [1.005, 'three decimals as a number'],
      ['1e3', 'an exponent'],
      [1e21, 'a number JSON writes with an exponent'],
      [Number.NaN, 'NaN'],
      [10 ** 15, '10^15'],
      ['1000000000000000', '10^15 as text'],
      ['twenty', 'words'],
      ['', 'empty'],
      [null, 'null'],
      [true, 'a boolean'],
    ])('refuses a transfer of %p (%s): a field error on amount, moving nothing', async (amount, _name) => {
      const a = await account('100.00');
      const b = await account('0');
      await expectRefused(
        () => h.ledger.transfer(CH, { amount: amount, source_account: a.pk, destination_account: b.pk }),
        ValidationFailedError,
        'amount',
      );
    });

    it('moves once for one idempotency key, and refuses the key for another request', async () => {
      const a = await account('100.00');
      const b = await account('0');
      const input = { amount: '20', source_account: a.pk, destination_account: b.pk };
      const first = await h.ledger.transfer(CH, input, { idempotencyKey: 'tr-1' });
      const again = await h.ledger.transfer(CH, { ...input, amount: '20.00' }, { idempotencyKey: 'tr-1' });
      expect(again.uuid).toBe(first.uuid);
      expect((await h.accounts.get(CH, a.pk)).balance_minor).toBe(8_000n);
      await expectRefused(
        () => h.ledger.transfer(CH, { ...input, amount: '21' }, { idempotencyKey: 'tr-1' }),
        IdempotencyConflictError,
      );
      // Keys are per channel: the same key in another channel is another request.
      h.users.add(OTHER_CH, 22);
      const x = await h.accounts.create(OTHER_CH, { user: 22, currency: 'try', balance: '5' });
      h.users.add(OTHER_CH, 23);
      const y = await h.accounts.create(OTHER_CH, { user: 23, currency: 'try' });
      await expect(
        h.ledger.transfer(
          OTHER_CH,
          { amount: '1', source_account: x.pk, destination_account: y.pk },
          { idempotencyKey: 'tr-1' },
        ),
      ).resolves.toMatchObject({ amount_minor: 100n });
    });
  });

  describe('payOrder', () => {
    it('refuses while LOYALTY_MONEY_ENABLED is off', async () => {
      await h.settings.patch(OTHER_CH, { LOYALTY_MONEY_ENABLED: false });
      h.users.add(OTHER_CH, 24);
      await h.accounts.create(OTHER_CH, { user: 24, currency: 'try', balance: '50' });
      h.orders.add(OTHER_CH, 'OFF-1', 24, 1_000n);
      await expectRefused(
        () => h.ledger.payOrder(OTHER_CH, { order_number: 'OFF-1', amount_minor: 1_000n }),
        LoyaltyMoneyDisabledError,
      );
    });

    it('pays from the oldest account first into SALE, once per order', async () => {
      await enableMoney();
      const user = newUser();
      const older = await account('30.00', { user });
      h.clock.advanceMs(1000);
      const invoice = await h.accounts.create(CH, {
        user,
        currency: 'try',
        balance: '50',
        kind: 'invoice',
        number: `INV-${user}`,
      });
      h.orders.add(CH, `ORD-${user}`, user, 10_000n);
      const paid = await h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 4_000n });
      const tx = await h.queries.getTransaction(CH, paid.transaction_uuid);
      expect(tx).toMatchObject({ kind: 'order_payment', amount_minor: 4_000n, order_number: `ORD-${user}`, user });
      expect(tx.transfers.map((t) => [t.account, t.amount_minor])).toEqual([
        [older.pk, -3_000n],
        [invoice.pk, -1_000n],
        [expect.any(Number), 4_000n],
      ]);
      expect(tx.transfers[2].account_kind).toBe('sale');
      expect(tx.transfers[2].account_number).toBe('71c07edb-d531-49f1-aec6-b26a971104e4');
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(4_000n);
      // The same order again: the first payment, nothing moved; another amount: a conflict.
      await expect(h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 4_000n })).resolves.toEqual(paid);
      await expectRefused(
        () => h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 1_000n }),
        OrderPaymentConflictError,
      );
    });

    it('spends by account age, not by id', async () => {
      await enableMoney();
      const user = newUser();
      const start = h.clock.now();
      h.clock.advanceMs(60_000);
      const newer = await account('10.00', { user });
      h.clock.set(start); // the invoice account gets the higher id but the older date
      const older = await h.accounts.create(CH, {
        user,
        currency: 'try',
        balance: '10.00',
        kind: 'invoice',
        number: `OLD-${user}`,
      });
      h.clock.advanceMs(120_000);
      h.orders.add(CH, `AGE-${user}`, user, 1_500n);
      const paid = await h.ledger.payOrder(CH, { order_number: `AGE-${user}`, amount_minor: 1_500n });
      const tx = await h.queries.getTransaction(CH, paid.transaction_uuid);
      expect(tx.transfers.slice(0, 2).map((t) => [t.account, t.amount_minor])).toEqual([
        [older.pk, -1_000n],
        [newer.pk, -500n],
      ]);
    });

    it('never overdraws, not even a debit_allowed account', async () => {
      await enableMoney();
      const user = newUser();
      await account('10.00', { user, debit: true });
      h.orders.add(CH, `ORD-${user}`, user, 10_000n);
      await expectRefused(
        () => h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 1_001n }),
        InsufficientFundsError,
        'amount',
      );
      await expectRefused(
        () => h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 10_001n }),
        ValidationFailedError,
        'amount',
      );
      await expectRefused(
        () => h.ledger.payOrder(CH, { order_number: 'NO-SUCH-ORDER', amount_minor: 1n }),
        ValidationFailedError,
        'order_number',
      );
      await expect(h.ledger.payOrder(CH, { order_number: `ORD-${user}`, amount_minor: 1_000n })).resolves.toBeDefined();
    });
  });

  describe('refund', () => {
    async function paidOrder(amount: bigint, total = amount) {
      await enableMoney();
      const user = newUser();
      const acc = await account('1000.00', { user });
      const order = h.orders.add(CH, `ORD-${user}`, user, total);
      const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: amount });
      return { user, acc, order, uuid: transaction_uuid };
    }

    it('returns money from SALE to the order owner, up to what the payment took', async () => {
      const { user, acc, order, uuid } = await paidOrder(5_000n);
      const refund = await h.ledger.refund(CH, { transaction_uuid: uuid, amount: '20' }, { actorId: 3 });
      expect(refund).toMatchObject({
        kind: 'refund',
        amount_minor: 2_000n,
        order: order.pk,
        user,
        user_email: `user${user}@example.com`,
        reference: order.number,
        refunded_transaction_uuid: uuid,
        actor: 3,
      });
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(97_000n);
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: uuid, amount: '30.01' }),
        RefundCapExceededError,
        'amount',
      );
      await h.ledger.refund(CH, { transaction_uuid: uuid, amount: '30' });
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: uuid, amount: '0.01' }),
        RefundCapExceededError,
      );
    });

    it('pays into an invoice account named by the invoice number, reusing it, never another user’s', async () => {
      const { user, uuid } = await paidOrder(5_000n);
      const first = await h.ledger.refund(CH, { transaction_uuid: uuid, amount: '10', invoice_number: `IN-${user}` });
      const second = await h.ledger.refund(CH, { transaction_uuid: uuid, amount: '5', invoice_number: `IN-${user}` });
      const invoiceAccount = first.transfers.find((t) => t.amount_minor > 0n)!;
      expect(invoiceAccount).toMatchObject({ account_kind: 'invoice', account_number: `IN-${user}`, user });
      expect(second.transfers.find((t) => t.amount_minor > 0n)!.account).toBe(invoiceAccount.account);
      expect(invoiceAccount.account).toBeGreaterThan(0);
      const other = await paidOrder(5_000n);
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: other.uuid, amount: '1', invoice_number: `IN-${user}` }),
        ValidationFailedError,
        'invoice_number',
      );
    });

    it('refunds once for one idempotency key', async () => {
      const { acc, uuid } = await paidOrder(5_000n);
      const first = await h.ledger.refund(CH, { transaction_uuid: uuid, amount: '5' }, { idempotencyKey: 'rf-1' });
      const again = await h.ledger.refund(CH, { transaction_uuid: uuid, amount: 5 }, { idempotencyKey: 'rf-1' });
      expect(again.uuid).toBe(first.uuid);
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(95_500n);
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: uuid, amount: '6' }, { idempotencyKey: 'rf-1' }),
        IdempotencyConflictError,
      );
    });

    it('refuses a refund of 1.00 of a transaction that is not an order payment (a transfer)', async () => {
      const a = await account('10');
      const b = await account('0');
      const transfer = await h.ledger.transfer(CH, { amount: '1', source_account: a.pk, destination_account: b.pk });
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: transfer.uuid, amount: '1' }),
        ValidationFailedError,
        'transaction_uuid',
      );
    });

    it.each([
      ['an unknown transaction', '6f1c0d52-1a2b-4c3d-8e9f-000000000000'],
      ['a transaction_uuid that is not a UUID', 'not-a-uuid'],
    ])('refuses a refund of 1.00 of %s: a field error on transaction_uuid', async (_rule, uuid) => {
      await expectRefused(
        () => h.ledger.refund(CH, { transaction_uuid: uuid, amount: '1' }),
        ValidationFailedError,
        'transaction_uuid',
      );
    });
  });

  describe('crossRefund', () => {
    it('refunds from REFUND to the order owner, refunds and cross-refunds together capped by the total', async () => {
      await enableMoney();
      const user = newUser();
      await account('100.00', { user });
      const order = h.orders.add(CH, `X-${user}`, user, 8_000n);
      const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 5_000n });
      await h.ledger.refund(CH, { transaction_uuid, amount: '40' });
      const cross = await h.ledger.crossRefund(CH, { order_number: order.number, amount: '30' });
      expect(cross).toMatchObject({ kind: 'cross_refund', amount_minor: 3_000n, order: order.pk, user });
      expect(cross.transfers[0]).toMatchObject({ account_kind: 'refund', amount_minor: -3_000n });
      await expectRefused(
        () => h.ledger.crossRefund(CH, { order_number: order.number, amount: '10.01' }),
        RefundCapExceededError,
        'amount',
      );
      // The payment cap (50 - 40 = 10) and the order cap (80 - 70 = 10) agree here.
      await expectRefused(() => h.ledger.refund(CH, { transaction_uuid, amount: '10.01' }), RefundCapExceededError);
      await h.ledger.crossRefund(CH, { order_number: order.number, amount: '10' });
      await expectRefused(() => h.ledger.refund(CH, { transaction_uuid, amount: '0.01' }), RefundCapExceededError);
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(13_000n);
    });

    it('refuses unknown orders', async () => {
      await expectRefused(
        () => h.ledger.crossRefund(CH, { order_number: 'NOPE', amount: '1' }),
        ValidationFailedError,
        'order_number',
      );
    });
  });

  describe('creditOrderEarning', () => {
    it('credits BANK to the owner once per order, opening the customer account if missing', async () => {
      const user = newUser();
      const order = h.orders.add(CH, `E-${user}`, user, 5_000n);
      const first = await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 125n });
      const view = await h.queries.getTransaction(CH, first.transaction_uuid);
      expect(view).toMatchObject({ kind: 'transfer', amount_minor: 125n, order: order.pk, user });
      expect(view.transfers.map((t) => [t.account_kind, t.amount_minor])).toEqual([
        ['bank', -125n],
        ['customer', 125n],
      ]);
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(125n);
      const before = await ledgerSnapshot(h.dataSource);
      const [again, concurrent] = await Promise.all([
        h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 125n }),
        h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 125n }),
      ]);
      expect([again.transaction_uuid, concurrent.transaction_uuid]).toEqual([
        first.transaction_uuid,
        first.transaction_uuid,
      ]);
      expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
    });

    it('refuses an earning of 0.01 on an unknown order: a field error on order_number', async () => {
      await expectRefused(
        () => h.ledger.creditOrderEarning(CH, { order_number: 'NOPE', amount_minor: 1n }),
        ValidationFailedError,
        'order_number',
      );
    });

    it.each([
      ['10.01, above the order total of 10.00', 1_001n, AmountExceedsOrderError],
      ['0.00 (not positive)', 0n, ValidationFailedError],
    ])('refuses an earning of %s', async (_rule, amount_minor, type) => {
      const user = newUser();
      const order = h.orders.add(CH, `E-${user}`, user, 1_000n);
      await expectRefused(() => h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor }), type);
    });
  });
  describe('earning reversal on refunds', () => {
    /** Sums, per order, of what the reversals took and what the refunds recorded as not taken back. */
    async function reversalsOf(orderNumber: string) {
      const all = await h.queries.listTransactions(CH, { order: orderNumber }, { offset: 0, limit: 100 });
      const reversals = all.results.filter((x) => x.kind === 'earning_reversal').reverse();
      const refunds = all.results.filter((x) => x.kind === 'refund' || x.kind === 'cross_refund').reverse();
      return {
        reversals,
        refunds,
        reversed: reversals.reduce((sum, x) => sum + x.amount_minor, 0n),
        shortfall: all.results.reduce((sum, x) => sum + x.earning_shortfall_minor, 0n),
      };
    }

    /** A card-paid order of `total` that earned `earned`, its owner holding `balance` besides the earning. */
    async function earnedOrder(total: bigint, earned: bigint, balance = '0') {
      const user = newUser();
      const acc = await account(balance, { user });
      const order = h.orders.add(CH, `EV-${user}`, user, total);
      const earning = await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: earned });
      return { user, acc, order, earning: earning.transaction_uuid };
    }

    it('takes back floor(E × R / T) cumulatively over partial cross-refunds, exactly E at a full refund', async () => {
      // T = 100.00, E = 9.99: per-refund rounding would take back 3.32 + 3.32 + 3.33 = 9.97.
      const { user, acc, order, earning } = await earnedOrder(10_000n, 999n);
      const bank = (await h.accounts.list(CH, { kind: 'bank', currency: 'try' })).results[0];
      const bankBefore = bank.balance_minor;
      const steps: [string, bigint][] = [
        ['33.33', 332n],
        ['33.33', 333n],
        ['33.34', 334n],
      ];
      for (const [amount, reversed] of steps) {
        const refund = await h.ledger.crossRefund(CH, { order_number: order.number, amount }, { actorId: 4 });
        expect(refund.earning_shortfall_minor).toBe(0n);
        const { reversals } = await reversalsOf(order.number);
        expect(reversals.at(-1)).toMatchObject({
          kind: 'earning_reversal',
          amount_minor: reversed,
          order: order.pk,
          order_number: order.number,
          user,
          actor: 4,
          refunded_transaction_uuid: earning,
          earning_shortfall_minor: 0n,
        });
        expect(reversals.at(-1)!.transfers.map((t) => [t.account, t.amount_minor])).toEqual([
          [acc.pk, -reversed],
          [bank.pk, reversed],
        ]);
      }
      const { reversed, shortfall, reversals } = await reversalsOf(order.number);
      expect([reversed, shortfall, reversals.length]).toEqual([999n, 0n, 3]);
      // The customer keeps the refunds (100.00), not the earning; BANK has the earning back.
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(10_000n);
      expect((await h.accounts.get(CH, bank.pk)).balance_minor).toBe(bankBefore + 999n);
    });

    it('takes back exactly the earning when a store-credit refund and a cross-refund together refund it all', async () => {
      await enableMoney();
      // 50.00 paid from store credit, 30.00 by card (which earned 0.77).
      const { user, acc, order } = await earnedOrder(8_000n, 77n, '50.00');
      const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 5_000n });
      await h.ledger.refund(CH, { transaction_uuid, amount: '50' });
      expect((await reversalsOf(order.number)).reversed).toBe(48n); // floor(77 × 50 / 80)
      await h.ledger.crossRefund(CH, { order_number: order.number, amount: '30' });
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 77n, shortfall: 0n });
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(8_000n);
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(8_000n);
    });

    it('takes one full refund’s reversal out of the refund when the customer already spent the earning', async () => {
      const { user, acc, order } = await earnedOrder(2_000n, 200n);
      const elsewhere = await account('0');
      await h.ledger.transfer(CH, { amount: '2', source_account: acc.pk, destination_account: elsewhere.pk });
      const refund = await h.ledger.crossRefund(CH, { order_number: order.number, amount: '20' });
      // The refund landed in the account the earning came to, so the reversal is covered: nothing short.
      expect(refund.earning_shortfall_minor).toBe(0n);
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 200n, shortfall: 0n });
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(1_800n);
    });

    it('takes from the invoice account the refund went to what the spent customer account no longer holds', async () => {
      const { user, acc, order } = await earnedOrder(10_000n, 1_000n);
      const elsewhere = await account('0');
      // Spends 7.00 of the 10.00 earned: 3.00 is left in the customer account.
      await h.ledger.transfer(CH, { amount: '7', source_account: acc.pk, destination_account: elsewhere.pk });
      const first = await h.ledger.crossRefund(CH, {
        order_number: order.number,
        amount: '50',
        invoice_number: `INV-${user}`,
      });
      // Due 5.00: the 3.00 left in the customer account, and 2.00 of the 50.00 just paid into the invoice account.
      expect(first.earning_shortfall_minor).toBe(0n);
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 500n, shortfall: 0n });
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(0n);
      const [invoice] = (await h.accounts.list(CH, { number: `INV-${user}` })).results;
      expect(invoice.balance_minor).toBe(4_800n);
      // The next refund's share (5.00) all from the invoice account: the earning is back in full, nothing short.
      const second = await h.ledger.crossRefund(CH, {
        order_number: order.number,
        amount: '50',
        invoice_number: `INV-${user}`,
      });
      expect(second.earning_shortfall_minor).toBe(0n);
      const after = await reversalsOf(order.number);
      expect(after).toMatchObject({ reversed: 1_000n, shortfall: 0n });
      expect(after.reversals).toHaveLength(2);
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(9_300n); // 0.00, and 50.00 - 2.00 + 50.00 - 5.00
      // The first reversal took from both accounts, the second from the invoice account alone.
      const routes = after.reversals.map((x) => x.transfers.map((t) => [t.account_kind, t.amount_minor]));
      expect(routes).toEqual([
        [
          ['customer', -300n],
          ['invoice', -200n],
          ['bank', 500n],
        ],
        [
          ['invoice', -500n],
          ['bank', 500n],
        ],
      ]);
    });

    it('never takes a debit_allowed account below zero', async () => {
      const user = newUser();
      const acc = await account('0', { user, debit: true });
      await h.accounts.update(CH, acc.pk, { balance: '-5' });
      const order = h.orders.add(CH, `EV-${user}`, user, 1_000n);
      await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 100n });
      const refund = await h.ledger.crossRefund(CH, { order_number: order.number, amount: '2' });
      // Due 0.20 of an account at -4.00 and -2.00 once the refund is in: nothing taken, all short.
      expect(refund.earning_shortfall_minor).toBe(20n);
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(-200n);
    });

    it('reverses nothing for an order that earned nothing', async () => {
      await enableMoney();
      const user = newUser();
      await account('100', { user });
      const order = h.orders.add(CH, `NE-${user}`, user, 5_000n);
      const { transaction_uuid } = await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 5_000n });
      const refund = await h.ledger.refund(CH, { transaction_uuid, amount: '50' });
      expect(refund.earning_shortfall_minor).toBe(0n);
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 0n, shortfall: 0n, reversals: [] });
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(10_000n);
    });

    it('reverses once when a refund is retried with its idempotency key', async () => {
      const { acc, order } = await earnedOrder(10_000n, 500n);
      const input = { order_number: order.number, amount: '40' };
      const first = await h.ledger.crossRefund(CH, input, { idempotencyKey: 'ev-retry-1' });
      const before = await ledgerSnapshot(h.dataSource);
      const again = await h.ledger.crossRefund(CH, { ...input, amount: 40 }, { idempotencyKey: 'ev-retry-1' });
      expect(again.uuid).toBe(first.uuid);
      expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 200n, shortfall: 0n });
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(4_300n);
    });

    it('is one database transaction with its refund: a reversal that fails leaves the refund undone', async () => {
      const { acc, order } = await earnedOrder(1_000n, 100n);
      // The reversal is written by the same ledger_refund call as the refund: make its INSERT fail in the database.
      await h.dataSource.query(`
        CREATE FUNCTION test_refuse_reversal() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'reversal failed'; END $$`);
      await h.dataSource.query(
        `CREATE TRIGGER test_refuse_reversal BEFORE INSERT ON loyalty_transaction FOR EACH ROW
           WHEN (NEW.kind = 'earning_reversal') EXECUTE FUNCTION test_refuse_reversal()`,
      );
      try {
        const before = await ledgerSnapshot(h.dataSource);
        await expect(h.ledger.crossRefund(CH, { order_number: order.number, amount: '5' })).rejects.toThrow(
          'reversal failed',
        );
        expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
      } finally {
        await h.dataSource.query('DROP TRIGGER test_refuse_reversal ON loyalty_transaction');
        await h.dataSource.query('DROP FUNCTION test_refuse_reversal()');
      }
      expect((await reversalsOf(order.number)).refunds).toEqual([]);
      await h.ledger.crossRefund(CH, { order_number: order.number, amount: '5' });
      expect((await reversalsOf(order.number)).reversed).toBe(50n);
      expect((await h.accounts.get(CH, acc.pk)).balance_minor).toBe(550n);
    });

    it('keeps the cumulative total under concurrent refunds of one order', async () => {
      const { order } = await earnedOrder(9_000n, 1_000n);
      await Promise.all(
        Array.from({ length: 9 }, () => h.ledger.crossRefund(CH, { order_number: order.number, amount: '10' })),
      );
      const { reversed, reversals } = await reversalsOf(order.number);
      expect(reversed).toBe(1_000n);
      expect(reversals.map((x) => x.amount_minor).sort()).toEqual([
        111n,
        111n,
        111n,
        111n,
        111n,
        111n,
        111n,
        111n,
        112n,
      ]);
    });

    it('reverses the share of earlier refunds at once when the earning is credited after them', async () => {
      const user = newUser();
      const order = h.orders.add(CH, `LATE-${user}`, user, 4_000n);
      await h.ledger.crossRefund(CH, { order_number: order.number, amount: '10' });
      await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 400n });
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 100n, shortfall: 0n });
      // Crediting again moves nothing, the reversal included.
      const before = await ledgerSnapshot(h.dataSource);
      await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 400n });
      expect(await ledgerSnapshot(h.dataSource)).toEqual(before);
      await h.ledger.crossRefund(CH, { order_number: order.number, amount: '30' });
      expect(await reversalsOf(order.number)).toMatchObject({ reversed: 400n, shortfall: 0n });
      expect(await h.queries.userBalance(CH, user, 'try')).toBe(4_000n);
    });
  });
});

describe(LedgerQueryService.name, () => {
  it('lists transfers newest first with their transaction, filtered by user, currency, order and date', async () => {
    await enableMoney();
    const user = newUser();
    const acc = await account('100', { user });
    h.clock.advanceMs(60_000);
    const since = h.clock.now();
    const order = h.orders.add(CH, `Q-${user}`, user, 1_000n);
    await h.ledger.payOrder(CH, { order_number: order.number, amount_minor: 1_000n });
    const mine = await h.queries.userTransfers(CH, user, 'try', { offset: 0, limit: 10 });
    expect(mine.count).toBe(2);
    expect(mine.results.map((t) => [t.amount_minor, t.transaction.kind, t.transaction.order])).toEqual([
      [-1_000n, 'order_payment', order.number],
      [10_000n, 'opening', null],
    ]);
    const byOrder = await h.queries.listTransfers(CH, { order: order.number });
    expect(byOrder.count).toBe(2);
    const recent = await h.queries.listTransfers(CH, { account: acc.pk, created_from: since });
    expect(recent.results.map((t) => t.amount_minor)).toEqual([-1_000n]);
    const before = await h.queries.listTransfers(CH, { account: acc.pk, created_to: since });
    expect(before.results.map((t) => t.amount_minor)).toEqual([10_000n]);
    expect((await h.queries.userTransfers(CH, user, 'eur')).count).toBe(0);
    const txs = await h.queries.listTransactions(CH, { order: order.number });
    expect(txs.results[0]).toMatchObject({ kind: 'order_payment', transfers: [{}, {}] });
    await expect(h.queries.getTransaction(OTHER_CH, txs.results[0].uuid)).rejects.toBeInstanceOf(
      TransactionNotFoundError,
    );
  });
});

describe(DynamicSettingsService.name, () => {
  it('defaults LOYALTY_MONEY_ENABLED to false and patches only the named keys', async () => {
    const defaults = { LOYALTY_MONEY_ENABLED: false, VERIFY_SMS: true, LOYALTY_EARNING_RATE: '0.00' };
    expect(await h.settings.get(77)).toEqual(defaults);
    expect(await h.settings.patch(77, { LOYALTY_MONEY_ENABLED: true })).toEqual({
      ...defaults,
      LOYALTY_MONEY_ENABLED: true,
    });
    expect(await h.settings.patch(77, { VERIFY_SMS: false })).toEqual({
      ...defaults,
      LOYALTY_MONEY_ENABLED: true,
      VERIFY_SMS: false,
    });
    await expect(h.settings.patch(77, { NOPE: 1 })).rejects.toEqual(new SettingUnknownError('NOPE'));
    await expect(h.settings.patch(77, { LOYALTY_MONEY_ENABLED: 'yes' })).rejects.toEqual(
      new SettingValueInvalidError('LOYALTY_MONEY_ENABLED'),
    );
    expect(await h.settings.get(78)).toEqual(defaults);
  });

  it('keeps LOYALTY_EARNING_RATE as a two-decimal percent from 0 to 100', async () => {
    for (const [sent, kept] of [
      [5, '5.00'],
      ['2.5', '2.50'],
      [' 0.01 ', '0.01'],
      ['100', '100.00'],
      [0, '0.00'],
    ] as const) {
      expect((await h.settings.patch(79, { LOYALTY_EARNING_RATE: sent })).LOYALTY_EARNING_RATE).toBe(kept);
    }
    expect((await h.settings.get(79)).LOYALTY_EARNING_RATE).toBe('0.00');
  });

  it.each([
    ['100.01', 'above 100'],
    [101, 'above 100, as a number'],
    [-1, 'below 0'],
    ['1.234', 'three decimals'],
    ['1e1', 'an exponent'],
    ['abc', 'not a number'],
    [true, 'a boolean'],
    [null, 'null'],
  ])('refuses LOYALTY_EARNING_RATE %p (%s), keeping the rate', async (bad, _rule) => {
    await h.settings.patch(80, { LOYALTY_EARNING_RATE: '2.5' });
    await expect(h.settings.patch(80, { LOYALTY_EARNING_RATE: bad })).rejects.toEqual(
      new SettingValueInvalidError('LOYALTY_EARNING_RATE'),
    );
    expect((await h.settings.get(80)).LOYALTY_EARNING_RATE).toBe('2.50');
  });
});

describe('the ledger audit of earning reversals', () => {
  it('reports a reversal of more than the order earned, and one not tied to its order’s earning', async () => {
    // A ledger of its own: the broken rows stay (transactions are append-only), and the shared audit must stay clean.
    const own = await createLedgerHarness(2);
    try {
      own.users.add(CH, 1);
      const order = own.orders.add(CH, 'AUDIT-1', 1, 1_000n);
      const earning = await own.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 100n });
      await own.ledger.crossRefund(CH, { order_number: order.number, amount: '1' });
      expect(await own.queries.checkInvariants()).toEqual([]);
      const idOf = async (uuid: string): Promise<number> => {
        const rows = await own.dataSource.query<{ id: number }[]>(
          `SELECT id FROM loyalty_transaction WHERE uuid = $1`,
          [uuid],
        );
        return rows[0].id;
      };
      const [customer] = await own.dataSource.query(`SELECT id FROM loyalty_account WHERE kind = 'customer'`);
      const [bank] = await own.dataSource.query(`SELECT id FROM loyalty_account WHERE kind = 'bank'`);
      /** A balanced reversal of 0.01 from the customer to BANK written behind the service's back. */
      const forgeReversal = (orderNumber: string, of: number, from = customer.id, to = bank.id) =>
        own.dataSource.transaction(async (m) => {
          const [{ id }] = await m.query(
            `INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, order_number,
               refunded_transaction_id, created_date)
             VALUES (gen_random_uuid(), $1, 'earning_reversal', 'try', 0.01, $2, $3, now()) RETURNING id`,
            [CH, orderNumber, of],
          );
          const [{ balance }] = await m.query(
            `UPDATE loyalty_account SET balance = balance - 0.01 WHERE id = $1 RETURNING balance`,
            [from],
          );
          const [{ after }] = await m.query(
            `UPDATE loyalty_account SET balance = balance + CASE WHEN kind = 'bank' THEN 0 ELSE 0.01 END
              WHERE id = $1 RETURNING CASE WHEN kind = 'bank' THEN NULL ELSE balance END AS after`,
            [to],
          );
          await m.query(
            `INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, balance_after,
               created_date) VALUES ($1, $2, $4, 'try', -0.01, $5, now()), ($1, $3, $4, 'try', 0.01, $6, now())`,
            [id, from, to, CH, balance, after],
          );
        });
      // The order earned 1.00 and had 0.10 of it taken back: another 0.01 is fine, 0.91 more is not.
      await forgeReversal(order.number, await idOf(earning.transaction_uuid));
      expect(await own.queries.checkInvariants()).toEqual([]);
      // Tied to the cross-refund instead of the earning.
      const other = own.orders.add(CH, 'AUDIT-2', 1, 1_000n);
      const cross = await own.ledger.crossRefund(CH, { order_number: other.number, amount: '1' });
      await forgeReversal(other.number, await idOf(cross.uuid));
      const stray = await own.queries.checkInvariants(CH);
      expect(stray.map((v) => v.invariant)).toEqual([
        'earning_reversal_within_earning',
        'earning_reversal_within_earning',
      ]);
      expect(stray[0].detail).toContain('AUDIT-2');
      // From another customer's account, and from the earner to another customer instead of BANK.
      own.users.add(CH, 2);
      const stranger = (await own.accounts.create(CH, { user: 2, currency: 'try', balance: '1' })).pk;
      const before = (await own.queries.checkInvariants(CH)).length;
      await forgeReversal(order.number, await idOf(earning.transaction_uuid), stranger);
      await forgeReversal(order.number, await idOf(earning.transaction_uuid), customer.id, stranger);
      const misrouted = (await own.queries.checkInvariants(CH)).slice(before);
      expect(misrouted.map((v) => v.detail)).toEqual([
        expect.stringMatching(/does not run from the earner's account to BANK/),
        expect.stringMatching(/does not run from the earner's account to BANK/),
      ]);
      // 0.10 + 0.01 + the two misrouted 0.02 so far: 88 more make 1.01.
      for (let i = 0; i < 88; i++) await forgeReversal(order.number, await idOf(earning.transaction_uuid));
      const over = await own.queries.checkInvariants(CH);
      expect(over.map((v) => v.detail)).toEqual(
        expect.arrayContaining([expect.stringMatching(/order AUDIT-1: 1\.01 reversed or short of 1\.00/)]),
      );
    } finally {
      await own.close();
    }
  });
});

describe('database guards', () => {
  it('refuses to update a posting: append-only', async () => {
    // A funded account: there is a posting to update.
    await account('10');
    await expect(h.dataSource.query(`UPDATE "loyalty_transfer" SET "amount" = 1`)).rejects.toThrow(/append-only/);
  });

  it('refuses to delete a transaction: append-only', async () => {
    // A funded account: there is a transaction to delete.
    await account('10');
    await expect(h.dataSource.query(`DELETE FROM "loyalty_transaction"`)).rejects.toThrow(/append-only/);
  });

  it('refuses an unbalanced transaction (5 posted to one account only)', async () => {
    const a = await account('10');
    const runner = h.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ id }] = await runner.query(
        `INSERT INTO "loyalty_transaction" ("uuid","channel_id","kind","currency","amount","created_date")
         VALUES (gen_random_uuid(), $1, 'transfer', 'try', 5, now()) RETURNING "id"`,
        [CH],
      );
      // The guard runs once per INSERT statement (ledger-functions.medium-spec.ts has the other cases).
      await expect(
        runner.query(
          `INSERT INTO "loyalty_transfer" ("transaction_id","account_id","channel_id","currency","amount","created_date")
           VALUES ($1, $2, $3, 'try', 5, now())`,
          [id, a.pk, CH],
        ),
      ).rejects.toThrow(/unbalanced/);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('refuses a negative balance (-1) on an account without debit', async () => {
    const a = await account('10');
    await expect(
      h.dataSource.query(`UPDATE "loyalty_account" SET "balance" = -1 WHERE "id" = $1`, [a.pk]),
    ).rejects.toThrow(/chk_loyalty_account_balance_floor/);
  });
});
