import { randomUUID } from 'node:crypto';
import { SANDBOX_CARDS } from '@app/checkout';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment } from './helpers/checkout';
import { newCustomer, newStaff } from './helpers/fixtures';
import { startTestApp, type TestApp } from './helpers/test-app';

const CH = 1;
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);

/**
 * Store credit an order earned (LOYALTY_EARNING_RATE) is taken back in proportion when staff refund the order, over
 * the real apps: a card checkout earns, the back office cross-refunds it in parts, and the order detail, the
 * transaction list and the customer's loyalty history show the reversals and the one shortfall.
 */
describe('earning reversal on refunds (storefront checkout, back-office refunds)', () => {
  let app: TestApp;
  let omnitron: TestApp;
  let staffToken: string;
  let settings: DynamicSettingsService;

  const staff = (method: string, path: string, json?: unknown, key?: string) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: {
        'Accept-Language': 'en',
        Authorization: `Token ${staffToken}`,
        ...(key === undefined ? {} : { 'Idempotency-Key': key }),
      },
    });

  beforeAll(async () => {
    app = await startTestApp('storefront');
    omnitron = await startTestApp('omnitron', { databaseUrl: app.config.databaseUrl });
    settings = app.app.get(DynamicSettingsService);
    await settings.patch(CH, { LOYALTY_MONEY_ENABLED: true, LOYALTY_EARNING_RATE: '10' });
    staffToken = (await newStaff(omnitron, { channels: [CH] })).token;
  });

  afterAll(async () => {
    await omnitron.close();
    await app.close();
  });

  afterEach(async () => {
    // Every test leaves a sound ledger behind (a hook may not use expect: it throws instead).
    const violations = await app.app.get(LedgerQueryService).checkInvariants();
    if (violations.length > 0) throw new Error(`Ledger invariants broken: ${JSON.stringify(violations)}`);
  });

  /** A customer who paid an order of `price` by card, earning 10 % of it. */
  async function cardOrder(price: string) {
    const c = await newCustomer(app);
    const product = await createProduct(app, price);
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    for (const [page, form] of [
      ['PaymentOptionSelectionPage', { payment_option: '1' }],
      ['BinNumberPage', { bin_number: '424242' }],
      ['InstallmentSelectionPage', { installment: '1' }],
    ] as const) {
      expect((await c.page(page, form)).body.errors).toBeNull();
    }
    const done = await c.page('CreditCardConfirmationPage', {
      agreement: '1',
      card_holder: 'Jane Doe',
      card_number: SANDBOX_CARDS.approved,
      card_month: '12',
      card_year: NEXT_YEAR,
      card_cvv: '123',
    });
    expect(done.body.errors).toBeNull();
    const token: string = done.body.context_list[0].page_context.token;
    const completed = await c.get(`/orders/completed/${token}/?format=json`);
    expect(completed.status).toBe(200);
    return { c, order: completed.body.order as { pk: number; number: string } };
  }

  const balanceOf = (userId: number) => app.app.get(LedgerQueryService).userBalance(CH, userId, 'try');

  it('reverses floor(E × R / T) over partial cross-refunds, once per idempotent retry, recording a shortfall', async () => {
    const { c, order } = await cardOrder('40.00');
    expect(await balanceOf(c.userId)).toBe(400n); // 10 % of 40.00 earned
    const account = (await staff('GET', `loyalty_account/?user=${c.userId}&currency=try`)).body.results[0];

    // A quarter refunded: a quarter of the earning (1.00) goes back to BANK, out of the 10.00 refunded.
    const key = randomUUID();
    const first = await staff(
      'POST',
      'loyalty-transactions/cross-refund/',
      { order_number: order.number, amount: '10' },
      key,
    );
    expect(first.status).toBe(200);
    expect(await balanceOf(c.userId)).toBe(1_300n);
    // The client's retry of the same refund answers the same refund and takes nothing more back.
    const retry = await staff(
      'POST',
      'loyalty-transactions/cross-refund/',
      { order_number: order.number, amount: '10' },
      key,
    );
    expect(retry.status).toBe(200);
    expect(retry.body.uuid).toBe(first.body.uuid);
    expect(await balanceOf(c.userId)).toBe(1_300n);

    // The customer spends everything (staff move it out, as a purchase elsewhere would), and the next quarter is
    // refunded to their invoice account: the 1.00 due back is no longer in the customer account, so it is taken from
    // the invoice account the refund went to (spendable money of the same customer), not recorded short.
    const bank = (await staff('GET', 'loyalty_account/?currency=try&number=Bank')).body.results[0];
    const spent = await staff(
      'POST',
      `loyalty_account/${account.pk}/create_transfer/`,
      { amount: '13.00', source_account: account.pk, destination_account: bank.pk },
      randomUUID(),
    );
    expect(spent.status).toBe(204);
    const short = await staff(
      'POST',
      'loyalty-transactions/cross-refund/',
      { order_number: order.number, amount: '10', invoice_number: `INV-${c.userId}` },
      randomUUID(),
    );
    expect(short.status).toBe(200);

    // The rest (20.00) into the customer account: the remaining 2.00 of the earning is taken from it.
    const last = await staff(
      'POST',
      'loyalty-transactions/cross-refund/',
      { order_number: order.number, amount: '20' },
      randomUUID(),
    );
    expect(last.status).toBe(200);
    expect(await balanceOf(c.userId)).toBe(900n + 1_800n); // the invoice account's 10.00 - 1.00, and 20.00 - 2.00

    // Staff see every movement of the order and its reversals; nothing is short.
    const detail = await staff('GET', `orders/${order.pk}/`);
    expect(detail.status).toBe(200);
    const rows = detail.body.loyalty_transactions.map(
      (x: { kind: string; amount: string; earning_shortfall: string }) => [x.kind, x.amount, x.earning_shortfall],
    );
    expect(rows).toEqual([
      ['transfer', '4.00', '0.00'],
      ['cross_refund', '10.00', '0.00'],
      ['earning_reversal', '1.00', '0.00'],
      ['cross_refund', '10.00', '0.00'],
      ['earning_reversal', '1.00', '0.00'],
      ['cross_refund', '20.00', '0.00'],
      ['earning_reversal', '2.00', '0.00'],
    ]);
    const listed = await staff('GET', `loyalty-transactions/?order=${order.number}&kind=earning_reversal`);
    expect(listed.body.count).toBe(3);
    const earning = detail.body.loyalty_transactions[0].uuid;
    const invoice = (await staff('GET', `loyalty_account/?number=INV-${c.userId}`)).body.results[0];
    const routes = (listed.body.results as { transfers: { account: number }[] }[]).map((x) =>
      x.transfers.map((t) => t.account),
    );
    expect(routes).toEqual([
      [account.pk, bank.pk],
      [invoice.pk, bank.pk],
      [account.pk, bank.pk],
    ]);
    for (const reversal of listed.body.results) {
      expect(reversal).toMatchObject({ kind: 'earning_reversal', order: order.pk, refunded_transaction: earning });
    }
    const invoiceRefund = await staff('GET', `loyalty-transactions/${short.body.uuid}/`);
    expect(invoiceRefund.body).toMatchObject({ kind: 'cross_refund', earning_shortfall: '0.00' });

    // The customer's history shows what was taken back, with the order.
    const mine = await c.get('/account/loyalty/');
    const taken = mine.body.results
      .filter((t: { amount: string; transaction: { order: string } }) => t.transaction.order === order.number)
      .map((t: { amount: string }) => t.amount);
    expect(taken).toEqual(['-2.00', '20.00', '-1.00', '10.00', '-1.00', '10.00', '4.00']);
  });

  it('takes nothing back from an order that earned nothing', async () => {
    await settings.patch(CH, { LOYALTY_EARNING_RATE: '0' });
    try {
      const { c, order } = await cardOrder('25.00');
      const refund = await staff(
        'POST',
        'loyalty-transactions/cross-refund/',
        { order_number: order.number, amount: '25' },
        randomUUID(),
      );
      expect(refund.status).toBe(200);
      expect(await balanceOf(c.userId)).toBe(2_500n);
      const detail = await staff('GET', `orders/${order.pk}/`);
      expect(detail.body.loyalty_transactions).toMatchObject([{ kind: 'cross_refund', earning_shortfall: '0.00' }]);
    } finally {
      await settings.patch(CH, { LOYALTY_EARNING_RATE: '10' });
    }
  });
});
