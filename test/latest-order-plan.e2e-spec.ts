import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PlacedOrders } from '@app/checkout';
import { DynamicSettingsService } from '@app/settings';
import { newOrder } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

/*
 * The final checkout page reads the customer's latest order on every post. That read must touch one order whatever
 * the customer's history: it built the json of every order of the customer and sorted them, so the page grew
 * slower with each order placed (docs/benchmarks.md, issue 19). The statement PlacedOrders sends is captured and
 * planned again with EXPLAIN ANALYZE: the orders are read through an index, and one row comes out of it.
 */

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  Plans?: PlanNode[];
}

const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('the latest order of a customer with a long history', () => {
  let app: TestApp;
  let userId = 0;
  let latestNumber = '';

  beforeAll(async () => {
    app = await startTestApp('storefront');
    await app.app.get(DynamicSettingsService).patch(1, { LOYALTY_MONEY_ENABLED: true });
    const placed = await newOrder(app);
    userId = placed.customer.userId;
    // 200 more orders of the customer: copies of the placed one, each with a number of its own.
    const dataSource = app.app.get(DataSource);
    const columns: { column_name: string }[] = await dataSource.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'orders' AND column_name NOT IN ('id', 'number') ORDER BY ordinal_position`,
    );
    const list = columns.map((c) => `"${c.column_name}"`).join(', ');
    await dataSource.query(
      `INSERT INTO orders ("number", ${list})
       SELECT lpad((9000000000000000 + g)::text, 16, '0'), ${list} FROM orders, generate_series(1, 200) g
        WHERE "number" = $1`,
      [placed.number],
    );
    latestNumber = '9000000000000200';
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers the latest order, reading one order through the index', async () => {
    const spy = jest.spyOn(Client.prototype, 'query');
    let latest;
    let sent: { text: string; values: unknown[] }[];
    try {
      latest = await app.app.get(PlacedOrders).latestOf(1, userId);
      sent = spy.mock.calls.map(([q]) => q as unknown as { text: string; values: unknown[] });
    } finally {
      spy.mockRestore();
    }
    expect(latest?.number).toBe(latestNumber);
    expect(sent).toHaveLength(1);
    const [query] = sent;
    expect(query.text).toMatch(/FROM "orders"/);

    const client = new Client({ connectionString: app.config.databaseUrl! });
    await client.connect();
    try {
      const explained = await client.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${query.text}`,
        query.values,
      );
      const orderScans = nodes(explained.rows[0]['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] === 'orders');
      expect(orderScans).toEqual([
        expect.objectContaining({ 'Index Name': 'orders_user_latest_idx', 'Actual Rows': 1 }),
      ]);
    } finally {
      await client.end();
    }
  });
});
