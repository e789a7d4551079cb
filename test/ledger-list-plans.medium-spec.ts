import { Client } from 'pg';
import type { PageRequest } from '@app/common';
import { createLedgerHarness, type LedgerHarness } from './helpers/ledger';

/*
 * An index behind every filter and ordering of every ledger list (issue 21). Each list query the ledger sends (the
 * page and its count, without and with a cursor) is captured with its parameters and planned again with
 * `enable_seqscan` and `enable_sort` off: the planner then scans a table in full, or sorts, only where no index can
 * serve the query. Either fails the test, except the sorts listed in SORTS_ALLOWED, each with its reason (and
 * docs/ledger.md, "Lists at any size").
 */

const CH = 1;
let h: LedgerHarness;
const USER = 801;
let account = 0;
let orderNumber = '';

/** Sorts that stay, by case name: what bounds the rows they sort. */
const SORTS_ALLOWED: Record<string, string> = {
  'transfers user': "the merge of one range scan per owner's account, each cut at the page's end",
  'transfers user currency': "the merge of one range scan per owner's account, each cut at the page's end",
  'accounts balance': 'no index on balance, on purpose (every money operation stays a HOT update)',
  'accounts -balance': 'no index on balance, on purpose (every money operation stays a HOT update)',
  'accounts modified_date': 'no index on modified_date, on purpose (as balance)',
  'accounts -modified_date': 'no index on modified_date, on purpose (as balance)',
};

beforeAll(async () => {
  h = await createLedgerHarness(4);
  await h.settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
  h.users.add(CH, USER);
  h.users.add(CH, USER + 1);
  account = (await h.accounts.create(CH, { user: USER, currency: 'try', balance: '50' })).pk;
  const other = (await h.accounts.create(CH, { user: USER + 1, currency: 'try', balance: '0' })).pk;
  for (let i = 0; i < 3; i++) {
    await h.ledger.transferOnly(CH, { amount: '1.00', source_account: account, destination_account: other });
  }
  orderNumber = h.orders.add(CH, 'PLAN-1', USER, 10_000n).number;
  await h.ledger.payOrder(CH, { order_number: orderNumber, amount_minor: 100n });
});

afterAll(async () => {
  await h?.close();
});

interface Statement {
  text: string;
  values: unknown[];
}

/** The statements `work` sends, with their parameters. */
async function captured(work: () => Promise<unknown>): Promise<Statement[]> {
  const spy = jest.spyOn(Client.prototype, 'query');
  try {
    await work();
    return spy.mock.calls.map(([query, values]) =>
      typeof query === 'string'
        ? { text: query, values: (values as unknown[]) ?? [] }
        : { text: (query as { text: string }).text, values: (query as { values?: unknown[] }).values ?? [] },
    );
  } finally {
    spy.mockRestore();
  }
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** What the planner does with `statement` when it must use an index wherever one can serve. */
async function planOf(statement: Statement): Promise<PlanNode> {
  const client = new Client({ connectionString: (h.dataSource.options as { url: string }).url });
  await client.connect();
  try {
    await client.query('SET enable_seqscan = off');
    await client.query('SET enable_sort = off');
    const { rows } = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      `EXPLAIN (FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    return rows[0]['QUERY PLAN'][0].Plan;
  } finally {
    await client.end();
  }
}

type Case = [name: string, list: (page: PageRequest) => Promise<unknown>];

function cases(): Case[] {
  const transfers: [string, Parameters<LedgerHarness['queries']['listTransfers']>[1]][] = [
    ['transfers', {}],
    ['transfers currency', { currency: 'try' }],
    ['transfers account', { account }],
    ['transfers user', { user: USER }],
    ['transfers user currency', { user: USER, currency: 'try' }],
    ['transfers order', { order: orderNumber }],
    ['transfers created', { created_from: new Date('2000-01-01'), created_to: new Date('2100-01-01') }],
  ];
  const transactions: [string, Parameters<LedgerHarness['queries']['listTransactions']>[1]][] = [
    ['transactions', {}],
    ['transactions kind', { kind: 'transfer' }],
    ['transactions user', { user: USER }],
    ['transactions user kind', { user: USER, kind: 'transfer' }],
    ['transactions order', { order: orderNumber }],
  ];
  const orderings = ['pk', '-pk', 'created_date', '-created_date', 'number', '-number'];
  const accounts: [string, Parameters<LedgerHarness['accounts']['list']>[1], string][] = [
    ...orderings.map((o): [string, object, string] => [`accounts ${o}`, {}, o]),
    ...['balance', '-balance', 'modified_date', '-modified_date'].map((o): [string, object, string] => [
      `accounts ${o}`,
      {},
      o,
    ]),
    ['accounts currency', { currency: 'try' }, 'pk'],
    ['accounts user', { user: USER }, 'pk'],
    ['accounts number', { number: 'X' }, 'pk'],
  ];
  return [
    ...transfers.map(([name, f]): Case => [name, (page) => h.queries.listTransfers(CH, f, page)]),
    ...transactions.map(([name, f]): Case => [name, (page) => h.queries.listTransactions(CH, f, page)]),
    ...accounts.map(([name, f, o]): Case => [name, (page) => h.accounts.list(CH, f, o, page)]),
  ];
}

const LISTED = /"loyalty_(transfer|transaction|account|count)"/;

describe('every ledger list query is served by an index', () => {
  it('has no sequential scan and no sort an index should serve, without and with a cursor', async () => {
    const problems: string[] = [];
    let planned = 0;
    for (const [name, list] of cases()) {
      for (const page of [
        { offset: 0, limit: 10 },
        { offset: 0, limit: 10, cursor: { direction: 'after' as const, id: account } },
        { offset: 0, limit: 10, cursor: { direction: 'before' as const, id: 1 } },
      ]) {
        const statements = (await captured(() => list(page))).filter((s) => /^\s*SELECT/i.test(s.text));
        for (const statement of statements.filter((s) => LISTED.test(s.text))) {
          planned++;
          for (const node of nodes(await planOf(statement))) {
            const where = `${name} (${page.cursor?.direction ?? 'page'})`;
            if (node['Node Type'] === 'Seq Scan') {
              problems.push(`${where}: sequential scan of ${node['Relation Name']}`);
            }
            if (node['Node Type'] === 'Sort' && !SORTS_ALLOWED[name]) {
              problems.push(`${where}: a sort no index serves in\n${statement.text}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    // Each case's page, count and postings or emails: at least two statements of each of the cases' three pages.
    expect(planned).toBeGreaterThanOrEqual(cases().length * 3 * 2);
  });

  it('would fail on a sequential scan or an unserved sort', async () => {
    const scan = await planOf({ text: `SELECT * FROM "loyalty_transfer" WHERE "amount" > $1`, values: [0] });
    expect(nodes(scan).map((n) => n['Node Type'])).toContain('Seq Scan');
    const sort = await planOf({
      text: `SELECT * FROM "loyalty_transfer" WHERE "channel_id" = $1 ORDER BY "amount" LIMIT 5`,
      values: [CH],
    });
    expect(nodes(sort).map((n) => n['Node Type'])).toContain('Sort');
  });
});

describe('the double-entry check costs what a statement inserts', () => {
  it('reads each of the statement transactions and its postings by index, the statement rows driving', async () => {
    const client = new Client({ connectionString: (h.dataSource.options as { url: string }).url });
    await client.connect();
    try {
      try {
        await client.query(`LOAD 'auto_explain'`);
      } catch (error) {
        process.stdout.write(`skipped: auto_explain cannot be loaded here (${(error as Error).message})\n`);
        return;
      }
      for (const setting of [
        'auto_explain.log_min_duration = 0',
        'auto_explain.log_nested_statements = on',
        'auto_explain.log_level = notice',
        'auto_explain.log_format = json',
      ]) {
        await client.query(`SET ${setting}`);
      }
      const notices: string[] = [];
      client.on('notice', (notice) => notices.push(notice.message ?? ''));
      // 300 balanced transactions between BANK and SALE in one statement, as bench:scale grows the ledger.
      await client.query(
        `WITH tx AS (
           INSERT INTO loyalty_transaction (uuid, channel_id, kind, currency, amount, created_date)
           SELECT gen_random_uuid(), $1, 'transfer', 'try', 1.00, now() FROM generate_series(1, 300)
           RETURNING id, created_date)
         INSERT INTO loyalty_transfer (transaction_id, account_id, channel_id, currency, amount, created_date)
         SELECT tx.id, s.id, $1, 'try', CASE s.kind WHEN 'bank' THEN -1.00 ELSE 1.00 END, tx.created_date
           FROM tx CROSS JOIN (SELECT id, kind FROM loyalty_account
                                WHERE channel_id = $1 AND currency = 'try' AND kind IN ('bank', 'sale')) s`,
        [CH],
      );
      const check = notices.find((n) => n.includes('new_postings) touched'));
      expect(check).toBeDefined();
      const plan = (JSON.parse(check!.slice(check!.indexOf('{'))) as { Plan: PlanNode }).Plan;
      // The top join: the statement's distinct transactions outside, one lookup of each inside.
      const join = nodes(plan).find((n) => n['Node Type'] === 'Nested Loop')!;
      const [outer, inner] = join.Plans!;
      expect(nodes(outer).map((n) => n['Node Type'])).toContain('Named Tuplestore Scan');
      expect(nodes(outer).some((n) => n['Relation Name'] !== undefined)).toBe(false);
      const transactionScans = nodes(inner).filter((n) => n['Relation Name'] === 'loyalty_transaction');
      expect(transactionScans).toHaveLength(1);
      expect((transactionScans[0] as PlanNode & { 'Index Cond'?: string })['Index Cond']).toMatch(
        /id = new_postings\.transaction_id/,
      );
    } finally {
      await client.end();
    }
  });
});
