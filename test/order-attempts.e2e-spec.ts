import { DataSource } from 'typeorm';
import { adminLedger } from './helpers/ledger-edge';
import { OrderEntity, SANDBOX_CARDS } from '@app/checkout';
import { LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment, type StorefrontCustomer } from './helpers/checkout';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const CH = 1;
const ORDERS = '/users/orders/';
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);

const cardForm = (number: string) => ({
  agreement: '1',
  card_holder: 'Jane Doe',
  card_number: number,
  card_month: '12',
  card_year: NEXT_YEAR,
  card_cvv: '123',
});

/**
 * A declined card or a refused store-credit payment is a failed attempt, not an order the customer placed: it is
 * left out of the customer's `/users/orders/` (list and detail), and staff see it, cancelled, with why.
 */
describe('failed placement attempts: out of the customer’s orders, shown to staff with their reason', () => {
  let app: TestApp;
  let omnitron: TestApp;
  let staffToken: string;
  let db: DataSource;

  const staff = (method: string, path: string, json?: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: { 'Accept-Language': 'en', Authorization: `Token ${staffToken}` },
    });

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: { ORDER_RECOVERY_ENABLED: 'false' } });
    omnitron = await startTestApp('omnitron', {
      env: { ORDER_RECOVERY_ENABLED: 'false' },
      databaseUrl: app.config.databaseUrl,
    });
    db = app.app.get(DataSource);
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
    staffToken = (await newStaff(omnitron, { channels: [CH] })).token;
  });

  afterAll(async () => {
    await omnitron.close();
    await app.close();
  });

  /** A customer with a 30.00 product in the basket, at the card confirmation page. */
  async function atCardConfirmation(): Promise<StorefrontCustomer> {
    const c = await newCustomer(app);
    const product = await createProduct(app, '30.00');
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    for (const [page, form] of [
      ['PaymentOptionSelectionPage', { payment_option: '1' }],
      ['BinNumberPage', { bin_number: '424242' }],
      ['InstallmentSelectionPage', { installment: '1' }],
    ] as const) {
      expect((await c.page(page, form)).body.errors).toBeNull();
    }
    return c;
  }

  const ordersOf = (userId: number) => db.getRepository(OrderEntity).find({ where: { userId }, order: { id: 'ASC' } });

  it('leaves declined cards out of /users/orders/; staff see each attempt with its decline reason', async () => {
    const c = await atCardConfirmation();
    for (const card of [SANDBOX_CARDS.declined, SANDBOX_CARDS.insufficientFunds]) {
      const declined = await c.page('CreditCardConfirmationPage', cardForm(card));
      expect(declined.body.errors).toEqual({ non_field_errors: expect.any(String) });
    }
    // Two attempts, none an order to the customer.
    expect((await c.get(ORDERS)).body).toMatchObject({ count: 0, results: [] });
    const [first, second] = await ordersOf(c.userId);
    expect([first.status, second.status]).toEqual(['cancelled', 'cancelled']);
    expect((await c.get(`${ORDERS}${first.id}/`)).status).toBe(404);

    // The third try goes through: that one order is the customer's list.
    const placed = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
    expect(placed.body.context_list[0].page_name).toBe('ThankYouPage');
    const mine = await c.get(ORDERS);
    expect(mine.body.count).toBe(1);
    expect(mine.body.results).toMatchObject([{ status: 'completed' }]);
    const completed = mine.body.results[0].pk as number;

    // Staff see all three, the attempts with why they were cancelled.
    const listed = await staff('GET', `orders/?user=${c.userId}&ordering=created_date`);
    expect(listed.status).toBe(200);
    expect(
      listed.body.results.map(
        (o: { pk: number; status: string; cancel_reason: string | null; cancel_detail: string | null }) => [
          o.pk,
          o.status,
          o.cancel_reason,
          o.cancel_detail,
        ],
      ),
    ).toEqual([
      [first.id, 'cancelled', 'card_declined', 'declined'],
      [second.id, 'cancelled', 'card_declined', 'insufficient_funds'],
      [completed, 'completed', null, null],
    ]);
    const detail = await staff('GET', `orders/${second.id}/`);
    expect(detail.body).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'card_declined',
      cancel_detail: 'insufficient_funds',
      payment: { card_charge: { status: 'declined', decline_reason: 'insufficient_funds' } },
    });
  });

  it('leaves a refused store-credit payment out of /users/orders/; staff see it with the refusal', async () => {
    const c = await newCustomer(app);
    const account = await fundedAccount(app, { owner: c.userId, balance: '50.00' });
    const product = await createProduct(app, '30.00');
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' })).body.errors).toBeNull();
    expect((await c.page('PaymentOptionSelectionPage', { payment_option: '2' })).body.errors).toBeNull();
    // The balance is spent elsewhere between the usage page and the final page.
    const other = await newCustomer(app);
    const sink = await fundedAccount(app, { owner: other.userId, balance: '0.00' });
    await adminLedger(app.app.get(LedgerService)).transfer(CH, {
      amount: '40.00',
      source_account: account.pk,
      destination_account: sink.pk,
    });
    const refused = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(refused.body.errors).toEqual({ non_field_errors: expect.any(String) });

    expect((await c.get(ORDERS)).body.count).toBe(0);
    const [attempt] = await ordersOf(c.userId);
    expect(attempt.status).toBe('cancelled');
    const detail = await staff('GET', `orders/${attempt.id}/`);
    expect(detail.body).toMatchObject({
      status: 'cancelled',
      cancel_reason: 'store_credit_refused',
      cancel_detail: 'insufficient_funds',
    });
  });

  it('keeps an order staff cancelled in the customer’s list: it was shown to them as placed', async () => {
    const c = await atCardConfirmation();
    const review = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.gatewayError));
    expect(review.body.errors.non_field_errors).toMatch(/do not pay again/);
    const [order] = await ordersOf(c.userId);
    // In review, the customer sees it (they were told the payment is being checked).
    expect((await c.get(ORDERS)).body.results).toMatchObject([{ pk: order.id, status: 'payment_review' }]);
    const settled = await staff('POST', `orders/${order.id}/settle/`, {
      action: 'cancel',
      reason: 'The bank never took the money',
    });
    expect(settled.status).toBe(200);
    expect(settled.body).toMatchObject({ status: 'cancelled', cancel_reason: 'staff_cancelled', cancel_detail: null });
    expect((await c.get(ORDERS)).body.results).toMatchObject([{ pk: order.id, status: 'cancelled' }]);
    expect((await c.get(`${ORDERS}${order.id}/`)).status).toBe(200);
  });
});
