import { adminLedger } from './helpers/ledger-edge';
import { newOrderNumber, OrderLedgerLookup, OrderRepository, type OrderStatus } from '@app/checkout';
import { AmountExceedsOrderError, OrderNotFoundError, LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { createLedgerHarness, type LedgerHarness } from './helpers/ledger';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newOrderRow, newStaff, newUserRow } from './helpers/fixtures';

const CH = 1;

/** The ledger paying checkout orders through the real order lookup (LEDGER_ORDER_LOOKUP) on a migrated database. */
describe(OrderLedgerLookup.name, () => {
  let h: LedgerHarness;

  beforeAll(async () => {
    h = await createLedgerHarness(5, {
      orders: (dataSource) => ({ useValue: new OrderLedgerLookup(new OrderRepository(dataSource)) }),
    });
    await h.settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => h.close());

  const user = async (): Promise<number> => (await newUserRow(h)).id;

  const order = async (owner: number, total: string, status: OrderStatus = 'pending') =>
    (await newOrderRow(h, { owner, total, status })).number;

  it('finds an order by its number with its user, currency and total', async () => {
    const customer = await user();
    const number = await order(customer, '120.50');
    const lookup = new OrderLedgerLookup(new OrderRepository(h.dataSource));
    await expect(lookup.findByNumber(CH, number)).resolves.toEqual({
      pk: expect.any(Number),
      number,
      user_id: customer,
      currency: 'try',
      total_minor: 12_050n,
    });
    await expect(lookup.findByNumber(CH + 1, number)).resolves.toBeNull();
    await expect(lookup.findByNumber(CH, 'not-a-number')).resolves.toBeNull();
  });

  it('lets the ledger pay an order from the user’s store credit, once', async () => {
    const customer = await user();
    await fundedAccount(h, { owner: customer, balance: '50.00' });
    const number = await order(customer, '30.00');
    const paid = await h.ledger.payOrder(CH, { order_number: number, amount_minor: 2_000n });
    expect(await h.queries.userBalance(CH, customer, 'try')).toBe(3_000n);
    await expect(h.ledger.payOrder(CH, { order_number: number, amount_minor: 2_000n })).resolves.toEqual(paid);
    expect(await h.queries.userBalance(CH, customer, 'try')).toBe(3_000n);
  });

  it('refuses to pay more than the order’s total (10.01 of 10.00)', async () => {
    const customer = await user();
    await fundedAccount(h, { owner: customer, balance: '50.00' });
    const small = await order(customer, '10.00');
    await expect(h.ledger.payOrder(CH, { order_number: small, amount_minor: 1_001n })).rejects.toBeInstanceOf(
      AmountExceedsOrderError,
    );
  });

  it('refuses to pay a cancelled order, moving nothing', async () => {
    const customer = await user();
    await fundedAccount(h, { owner: customer, balance: '50.00' });
    const cancelled = await order(customer, '10.00', 'cancelled');
    await expect(h.ledger.payOrder(CH, { order_number: cancelled, amount_minor: 100n })).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
    expect(await h.queries.userBalance(CH, customer, 'try')).toBe(5_000n);
  });

  it('refuses to pay an unknown order', async () => {
    await expect(h.ledger.payOrder(CH, { order_number: newOrderNumber(), amount_minor: 100n })).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
  });

  it('keeps the split of the total exact in the database', async () => {
    const customer = await user();
    await expect(
      h.dataSource.query(
        `INSERT INTO orders (number, channel_id, user_id, currency, items, total_amount, loyalty_amount, card_amount, status, payment_option)
         VALUES ($1, $2, $3, 'try', '[]', 10.00, 3.00, 6.99, 'pending', 'credit_card')`,
        [newOrderNumber(), CH, customer],
      ),
    ).rejects.toThrow(/chk_orders_amounts/);
  });
});

describe('the apps’ ledger wiring with checkout orders', () => {
  let omnitron: TestApp;
  let token: string;

  beforeAll(async () => {
    omnitron = await startTestApp('omnitron');
    token = (await newStaff(omnitron, { channels: [CH] })).token;
    await omnitron.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => omnitron.close());

  it('pays a real order and cross-refunds it over HTTP; an unknown order number is refused', async () => {
    const userId = (await newUserRow(omnitron)).id;
    await fundedAccount(omnitron, { owner: userId, balance: '50.00' });
    const saved = await newOrderRow(omnitron, { owner: userId, total: '30.00', status: 'completed', items: [] });
    const { number } = saved;
    await adminLedger(omnitron.app.get(LedgerService)).payOrder(CH, { order_number: number, amount_minor: 3_000n });

    const post = (json: unknown) =>
      omnitron.http.request(`/api/v1/remote/${CH}/loyalty-transactions/cross-refund/`, {
        json,
        headers: { 'Accept-Language': 'en', Authorization: `Token ${token}` },
      });
    const refunded = await post({ order_number: number, amount: '5' });
    expect(refunded.status).toBe(200);
    expect(refunded.body).toMatchObject({ amount: '5.00', order: saved.id, user: userId, reference: number });
    const unknown = await post({ order_number: newOrderNumber(), amount: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field_errors).toEqual({ order_number: ['Order not found.'] });
  });
});
