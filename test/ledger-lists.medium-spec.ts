import type { PageCursor, PageRequest } from '@app/common';
import type { PageResult } from '@app/ledger';
import { createLedgerHarness, type LedgerHarness } from './helpers/ledger';

/*
 * Keyset paging of every ledger list (issue 21): following `next` from the first page and `previous` back from the
 * last walks exactly the list a single big page shows, in its order, for each filter and ordering; the count of each
 * is exact (kept counts for the list as it is and by account, owner, currency and kind; counted otherwise).
 */

const CH = 1;
const OTHER = 2;
let h: LedgerHarness;
const users = [701, 702, 703];
const accounts: Record<string, number> = {};

beforeAll(async () => {
  h = await createLedgerHarness(4);
  for (const channel of [CH, OTHER]) {
    await h.settings.patch(channel, { LOYALTY_MONEY_ENABLED: true });
    for (const user of users) h.users.add(channel, user);
  }
  for (const user of users) {
    for (const currency of ['try', 'usd']) {
      const { pk } = await h.accounts.create(CH, { user, currency, balance: '100' });
      accounts[`${user}:${currency}`] = pk;
    }
    await h.accounts.create(OTHER, { user, currency: 'try', balance: '100' });
  }
  // Transfers round the three customers in both currencies, interleaved, so every filter's rows are spread out.
  for (let i = 0; i < 14; i++) {
    for (const currency of ['try', 'usd']) {
      const from = users[i % 3];
      const to = users[(i + 1) % 3];
      await h.ledger.transferOnly(CH, {
        amount: `${1 + (i % 4)}.00`,
        source_account: accounts[`${from}:${currency}`],
        destination_account: accounts[`${to}:${currency}`],
      });
    }
  }
});

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  const violations = await h.queries.checkInvariants();
  if (violations.length > 0) throw new Error(`Ledger invariants broken: ${JSON.stringify(violations)}`);
});

type List = (page: PageRequest) => Promise<PageResult<{ pk: number }>>;

/** The list read whole, then walked by cursor both ways in pages of `size`: the same rows, the same order. */
async function expectWalks(list: List, size = 4): Promise<number[]> {
  const whole = await list({ offset: 0, limit: 100 });
  const all = whole.results.map((r) => r.pk);
  expect(whole.count).toBe(all.length);
  expect(whole.next ?? null).toBeNull();

  const forward: number[] = [];
  let page = await list({ offset: 0, limit: size });
  let pages = 1;
  forward.push(...page.results.map((r) => r.pk));
  while (page.next) {
    expect(page.count).toBe(all.length);
    page = await list({ offset: 0, limit: size, cursor: page.next });
    forward.push(...page.results.map((r) => r.pk));
    expect(++pages).toBeLessThan(50);
  }
  expect(forward).toEqual(all);

  const backward: number[] = [...page.results.map((r) => r.pk)].reverse();
  while (page.previous) {
    page = await list({ offset: 0, limit: size, cursor: page.previous });
    backward.push(...[...page.results.map((r) => r.pk)].reverse());
    expect(++pages).toBeLessThan(100);
  }
  expect(backward.reverse()).toEqual(all);
  return all;
}

describe('ledger lists page by cursor', () => {
  it('postings: the channel, and each filter, walk both ways', async () => {
    const user = users[1];
    const filters = [
      {},
      { currency: 'usd' },
      { account: accounts[`${user}:try`] },
      { user },
      { user, currency: 'try' },
      { account: accounts[`${user}:try`], currency: 'usd' },
      { created_from: new Date('2000-01-01'), created_to: new Date('2100-01-01') },
      { user, created_from: new Date('2000-01-01') },
    ];
    const sizes: number[] = [];
    for (const filter of filters) {
      const all = await expectWalks((page) => h.queries.listTransfers(CH, filter, page));
      expect([...all].sort((a, b) => b - a)).toEqual(all);
      sizes.push(all.length);
    }
    // 6 openings of 2 postings and 28 transfers of 2: the channel's 68. A customer takes part in 10 of each
    // currency's 14 transfers, and has its opening: 11 postings per account, 22 in both currencies.
    expect(sizes.slice(0, 5)).toEqual([68, 34, 11, 22, 11]);
    expect(sizes[5]).toBe(0);
    expect(sizes[6]).toBe(68);
  });

  it('transactions: the channel, by kind, by user and by both', async () => {
    const filters = [{}, { kind: 'transfer' as const }, { kind: 'opening' as const }, { user: users[0] }];
    const sizes: number[] = [];
    for (const filter of filters)
      sizes.push((await expectWalks((p) => h.queries.listTransactions(CH, filter, p))).length);
    expect(sizes[0]).toBe(6 + 28);
    expect(sizes[1]).toBe(28);
    expect(sizes[2]).toBe(6);
  });

  it('accounts: every ordering, both directions, with and without filters', async () => {
    const orderings = ['pk', '-pk', 'created_date', '-created_date', 'number', '-number'];
    for (const ordering of orderings) {
      for (const filter of [{}, { currency: 'usd' }, { user: users[2] }]) {
        const all = await expectWalks((page) => h.accounts.list(CH, filter, ordering, page), 2);
        const expected = filter.user ? 2 : filter.currency ? 3 + 1 : 6 + 2; // customers, and BANK per currency
        expect(all).toHaveLength(expected);
      }
    }
    // Balance and modified_date move with every money operation: no cursors, pages by number cover the list.
    for (const ordering of ['balance', '-balance', 'modified_date', '-modified_date']) {
      const first = await h.accounts.list(CH, {}, ordering, { offset: 0, limit: 3 });
      expect([first.next, first.previous]).toEqual([undefined, undefined]);
      const pages = [first];
      for (let offset = 3; offset < first.count; offset += 3) {
        pages.push(await h.accounts.list(CH, {}, ordering, { offset, limit: 3 }));
      }
      const pks = pages.flatMap((p) => p.results.map((r) => r.pk));
      expect(new Set(pks).size).toBe(8);
    }
  });

  it('a cursor past either end pages back into the list, and another channel cursor shows nothing of it', async () => {
    const list = (page: PageRequest) => h.queries.listTransfers(CH, {}, page);
    const whole = (await list({ offset: 0, limit: 100 })).results.map((r) => r.pk);
    const oldest = whole[whole.length - 1];
    const beyond: PageCursor = { direction: 'after', id: oldest };
    const empty = await list({ offset: 0, limit: 3, cursor: beyond });
    expect(empty.results).toEqual([]);
    expect(empty.next).toBeNull();
    const back = await list({ offset: 0, limit: 3, cursor: empty.previous! });
    expect(back.results.map((r) => r.pk)).toEqual(whole.slice(-3));
    // A page number past the end has no row to start from: no cursor back (the edge links the page number).
    const pastEnd = await list({ offset: 300, limit: 3 });
    expect(pastEnd).toMatchObject({ results: [], next: null, previous: null });
    // Channel 2's list at a channel-1 account's position in the number ordering: nothing about that account leaks.
    const cursor: PageCursor = { direction: 'after', id: accounts[`${users[0]}:try`] };
    const otherChannel = await h.accounts.list(OTHER, {}, '-number', { offset: 0, limit: 10, cursor });
    expect(otherChannel.results).toEqual([]);
  });

  it('keeps every account counted once: its channel, kind, currency and owner never change, it is never deleted', async () => {
    const pk = accounts[`${users[0]}:try`];
    for (const change of [`currency = 'usd'`, `kind = 'invoice'`, `user_id = 999`, `channel_id = ${OTHER}`]) {
      await expect(h.dataSource.query(`UPDATE loyalty_account SET ${change} WHERE id = $1`, [pk])).rejects.toThrow(
        /never change/,
      );
    }
    await expect(h.dataSource.query(`DELETE FROM loyalty_account WHERE id = $1`, [pk])).rejects.toThrow(
      /never deleted/,
    );
    // What the money operations change is not refused.
    await h.dataSource.query(
      `UPDATE loyalty_account SET debit_allowed = debit_allowed, currency = currency WHERE id = $1`,
      [pk],
    );
  });

  // Last: it moves the id sequences past 2^31 for the rest of this file.
  it('takes ids past 2^31 (bigint) in every money operation, list and cursor, as JSON numbers', async () => {
    const past = 2 ** 31 + 1_000;
    for (const table of ['loyalty_transaction', 'loyalty_transfer', 'loyalty_idempotency_key']) {
      await h.dataSource.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [table, past]);
    }
    const user = users[0];
    const order = h.orders.add(CH, 'BIG-ID-1', user, 10_000n);
    const paid = await h.ledger.payOrder(
      CH,
      { order_number: order.number, amount_minor: 300n },
      { idempotencyKey: 'big-1' },
    );
    await h.ledger.creditOrderEarning(CH, { order_number: order.number, amount_minor: 100n });
    await h.ledger.refund(CH, { transaction_uuid: paid.transaction_uuid, amount: '2.00' });
    await h.ledger.crossRefund(CH, { order_number: order.number, amount: '0.50' });
    const all = await expectWalks((page) => h.queries.listTransactions(CH, { order: order.number }, page), 2);
    expect(all.every((pk) => typeof pk === 'number' && pk > past)).toBe(true);
    const { results } = await h.queries.listTransactions(CH, { order: order.number }, { offset: 0, limit: 100 });
    expect(results.map((x) => x.kind).sort()).toEqual(
      ['cross_refund', 'earning_reversal', 'order_payment', 'refund', 'transfer'].sort(),
    );
    expect(results.find((x) => x.kind === 'refund')?.refunded_transaction_uuid).toBe(paid.transaction_uuid);
    const postings = await expectWalks((page) => h.queries.listTransfers(CH, { order: order.number }, page), 3);
    expect(postings.every((pk) => pk > past)).toBe(true);
    expect(await h.queries.getTransaction(CH, paid.transaction_uuid)).toMatchObject({ kind: 'order_payment' });
  });
});
