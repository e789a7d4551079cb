import { Writable } from 'node:stream';
import { adminLedger } from './helpers/ledger-edge';
import { DataSource } from 'typeorm';
import { CARD_GATEWAY, CardChargeEntity, OrderEntity, SANDBOX_CARDS, type SandboxCardGateway } from '@app/checkout';
import { LedgerQueryService, LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { csrfToken, PASSWORD, sessionIdOf } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import {
  addAddress,
  createProduct,
  customerSession,
  saleCredit as saleCreditOf,
  stepsToPayment,
  type StorefrontCustomer,
} from './helpers/checkout';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';

const CH = 1;
const CHECKOUT = '/orders/checkout/';
const CVV_MESSAGE = "Enter the card's security code (3 digits, 4 for American Express).";
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);

/** The confirmation page's form as the storefront client posts it (falsy fields such as use_three_d dropped). */
function cardForm(number: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    agreement: '1',
    card_holder: 'Jane Doe',
    card_number: number,
    card_month: '12',
    card_year: NEXT_YEAR,
    card_cvv: number.startsWith('3') ? '1234' : '123',
    ...overrides,
  };
}

type Customer = StorefrontCustomer;

describe('checkout pages: card payment (guide Scenario 1) and earning', () => {
  let app: TestApp;
  let omnitron: TestApp;
  let staffToken: string;
  let db: DataSource;
  let settings: DynamicSettingsService;
  let gateway: SandboxCardGateway;
  const logLines: string[] = [];

  const product = (price: string, stock = 5): Promise<number> => createProduct(app, price, stock);

  /** A customer with `balance` of store credit (none when null), one product of `price` in the basket, an address. */
  const ready = async (balance: string | null, price = '30.00') => {
    const c = await newCustomer(app);
    const account = balance === null ? null : await fundedAccount(app, { owner: c.userId, balance });
    const pk = await product(price);
    expect((await c.json('POST', '/baskets/basket/', { product: pk, quantity: 1 })).status).toBe(200);
    return { ...c, address: await addAddress(c), product: pk, account: account?.pk ?? null };
  };

  /** The steps before payment, as the client auto-posts them. */
  const steps = (c: Customer & { address: number }) => stepsToPayment(c, c.address);

  /** Steps, loyalty money (if any), the card option, BIN and installment: ready for the confirmation page. */
  const toConfirmation = async (c: Customer & { address: number }, loyalty: string | null, installment = '1') => {
    await steps(c);
    if (loyalty !== null) {
      const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: loyalty });
      expect(used.body.errors).toBeNull();
    }
    const option = await c.page('PaymentOptionSelectionPage', { payment_option: '1' });
    expect(option.body.errors).toBeNull();
    expect(option.body.context_list[0].page_name).toBe('BinNumberPage');
    expect((await c.page('BinNumberPage', { bin_number: '424242' })).body.errors).toBeNull();
    const chosen = await c.page('InstallmentSelectionPage', { installment });
    expect(chosen.body.errors).toBeNull();
    expect(chosen.body.context_list[0].page_name).toBe('CreditCardConfirmationPage');
    return chosen;
  };

  const balanceOf = (userId: number) => app.app.get(LedgerQueryService).userBalance(CH, userId, 'try');

  const saleCredit = (orderNumber: string): Promise<string[]> => saleCreditOf(app, orderNumber);

  const stockOf = async (productId: number): Promise<number> => {
    const rows: { stock: number }[] = await db.query('SELECT stock FROM product WHERE id = $1', [productId]);
    return rows[0].stock;
  };

  const ordersOf = (userId: number) => db.getRepository(OrderEntity).find({ where: { userId }, order: { id: 'ASC' } });

  const completedOrder = async (c: Customer, thanks: { page_context: { token: string } }) => {
    const completed = await c.get(`/orders/completed/${thanks.page_context.token}/?format=json`);
    expect(completed.status).toBe(200);
    return completed.body.order;
  };

  const omnitronCall = (method: string, path: string, json?: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: { 'Accept-Language': 'en', Authorization: `Token ${staffToken}` },
    });

  beforeAll(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    app = await startTestApp('storefront', { env: { LOG_LEVEL: 'info' }, logStream });
    omnitron = await startTestApp('omnitron', { databaseUrl: app.config.databaseUrl });
    db = app.app.get(DataSource);
    settings = app.app.get(DynamicSettingsService);
    gateway = app.app.get<SandboxCardGateway>(CARD_GATEWAY);
    await settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
    staffToken = (await newStaff(omnitron, { channels: [CH] })).token;
  });
  afterAll(async () => {
    await omnitron.close();
    await app.close();
  });

  it('walks Scenario 1: 10.00 of a 50.00 balance, the rest by card; SALE gets 10.00, the customer sees it', async () => {
    const c = await ready('50.00');
    const approvedBefore = (await gateway.stats()).approved;
    await steps(c);

    expect((await c.page('LoyaltyMoneyUsagePage')).body.context_list[0].page_context).toEqual({ balance: '50.00' });
    const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' });
    expect(used.body.errors).toBeNull();
    expect(used.body.pre_order).toMatchObject({ loyalty_money: '10.00', unpaid_amount: '20.00' });

    // After a partial amount the card option stays selectable.
    const option = await c.page('PaymentOptionSelectionPage', { payment_option: '1' });
    expect(option.body.errors).toBeNull();
    expect(option.body.pre_order.payment_option).toMatchObject({ slug: 'credit_card', payment_type: 'credit_card' });
    expect(option.body.pre_order).toMatchObject({ installment: null, total_amount_with_interest: '30.00' });

    const bin = await c.page('BinNumberPage', { bin_number: '424242' });
    expect(bin.status).toBe(200);
    expect(bin.body.errors).toBeNull();
    expect(bin.body.context_list[0].page_context).toEqual({
      card_type: { slug: 'visa', name: 'Visa', logo: null },
      installments: [
        {
          pk: 1,
          installment_count: 1,
          label: 'Single payment',
          price_with_accrued_interest: '20.00',
          monthly_price_with_accrued_interest: '20.00',
        },
        {
          pk: 3,
          installment_count: 3,
          label: '3 installments',
          price_with_accrued_interest: '20.60',
          monthly_price_with_accrued_interest: '6.87',
        },
        {
          pk: 6,
          installment_count: 6,
          label: '6 installments',
          price_with_accrued_interest: '21.20',
          monthly_price_with_accrued_interest: '3.53',
        },
      ],
    });
    const installments = await c.page('InstallmentSelectionPage');
    expect(installments.body.context_list[0]).toMatchObject({
      page_name: 'InstallmentSelectionPage',
      page_context: { installments: bin.body.context_list[0].page_context.installments },
    });
    const chosen = await c.page('InstallmentSelectionPage', { installment: '1' });
    expect(chosen.body.errors).toBeNull();
    expect(chosen.body.pre_order).toMatchObject({
      installment: { pk: 1, installment_count: 1, price_with_accrued_interest: '20.00' },
      total_amount: '30.00',
      total_amount_with_interest: '30.00',
      unpaid_amount: '20.00',
      loyalty_money: '10.00',
    });

    const noAgreement = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved, { agreement: '' }));
    expect(noAgreement.status).toBe(200);
    expect(Object.keys(noAgreement.body.errors)).toEqual(['agreement']);

    const done = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
    expect(done.status).toBe(200);
    expect(done.body.errors).toBeNull();
    const thanks = done.body.context_list[0];
    expect(thanks).toMatchObject({ page_name: 'ThankYouPage', page_slug: 'thankyoupage' });
    expect(thanks.page_context.redirect_url).toBe(`/orders/completed/${thanks.page_context.token}/`);
    expect(done.body.pre_order.basket.basketitem_set).toEqual([]);

    const order = await completedOrder(c, thanks);
    expect(order).toMatchObject({
      pk: thanks.page_context.order_id,
      amount: '30.00',
      loyalty_amount: '10.00',
      card_amount: '20.00',
      interest_amount: '0.00',
      status: 'completed',
      payment_option: { slug: 'credit_card' },
      installment_count: 1,
      card_last4: '4242',
      card_type: 'visa',
    });
    expect(await balanceOf(c.userId)).toBe(4_000n);
    expect(await saleCredit(order.number)).toEqual(['10.00']);
    expect(await stockOf(c.product)).toBe(4);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toEqual([]);
    expect((await gateway.stats()).approved).toBe(approvedBefore + 1);
    const charges = await db.getRepository(CardChargeEntity).findBy({ orderId: order.pk });
    expect(charges).toMatchObject([
      { status: 'approved', amount: 2_000n, interestAmount: 0n, cardLast4: '4242', cardType: 'visa' },
    ]);

    // The customer's own history and the back office both show the store-credit payment with its order.
    const mine = await c.get('/account/loyalty/');
    expect(mine.status).toBe(200);
    expect(mine.body.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          amount: '-10.00',
          currency: { value: 'try', label: 'TRY' },
          transaction: expect.objectContaining({ order: order.number }),
        }),
      ]),
    );
    expect((await c.get('/account/loyalty-account-balance/')).body).toEqual({ balance: 40 });
    const office = await omnitronCall('GET', `loyalty_transfer/?order=${order.number}`);
    expect(office.status).toBe(200);
    expect(office.body.results.map((t: { amount: string }) => t.amount).sort()).toEqual(['-10.00', '10.00']);

    // The card number is nowhere: not in a table, not in a log line.
    const dump: { text: string }[] = await db.query(
      `SELECT (SELECT coalesce(json_agg(o)::text, '') FROM orders o) || (SELECT coalesce(json_agg(c)::text, '') FROM card_charge c) AS text`,
    );
    expect(dump[0].text).toContain('4242');
    expect(dump[0].text).not.toContain(SANDBOX_CARDS.approved);
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('')).not.toContain(SANDBOX_CARDS.approved);

    // Posting the confirmation again answers the same thank-you page and charges nothing.
    const again = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
    expect(again.body.context_list[0].page_context.order_id).toBe(thanks.page_context.order_id);
    expect((await gateway.stats()).approved).toBe(approvedBefore + 1);
    expect(await balanceOf(c.userId)).toBe(4_000n);
  });

  it('walks the guide’s Scenario 1 as written: 10.00 of a 50.00 balance pays a 10.00 order on LoyaltyMoneyPage', async () => {
    const c = await ready('50.00', '10.00');
    await steps(c);
    const usage = await c.page('LoyaltyMoneyUsagePage');
    expect(usage.body).toMatchObject({
      context_list: [
        { page_name: 'LoyaltyMoneyUsagePage', page_slug: 'loyaltymoneyusagepage', page_context: { balance: '50.00' } },
      ],
      template_name: 'orders/checkout.html',
      errors: null,
    });
    const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' });
    expect(used.body).toMatchObject({
      context_list: [{ page_name: 'EmptyPage', page_slug: 'emptypage', page_context: {} }],
      errors: null,
      pre_order: { loyalty_money: '10.00', unpaid_amount: '0.00' },
    });
    expect((await c.page('PaymentOptionSelectionPage', { payment_option: '2' })).body.errors).toBeNull();
    const done = await c.page('LoyaltyMoneyPage', { agreement: 'true' });
    expect(done.body.errors).toBeNull();
    expect(done.body.context_list[0]).toMatchObject({
      page_name: 'ThankYouPage',
      page_slug: 'thankyoupage',
      page_context: {
        redirect_url: expect.stringMatching(/^\/orders\/completed\/.+\/$/),
        order_id: expect.any(Number),
        new_user: false,
        token: expect.any(String),
        campaigns: [],
      },
    });
    expect(await balanceOf(c.userId)).toBe(4_000n);
    const order = await completedOrder(c, done.body.context_list[0]);
    expect(order).toMatchObject({ amount: '10.00', loyalty_amount: '10.00', card_amount: '0.00', card_last4: null });
  });

  it('refuses the card pages once loyalty money covers the whole order (guide Scenario 2)', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, '10.00');
    const full = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
    expect(full.body.pre_order).toMatchObject({ loyalty_money: '30.00', unpaid_amount: '0.00', installment: null });
    // The chosen card is cleared (the client picks again) and no longer offered; a card choice is refused.
    expect(full.body.pre_order.payment_option).toBeNull();
    const offered = async () =>
      (await c.page('PaymentOptionSelectionPage')).body.context_list[0].page_context.payment_options.map(
        (o: { slug: string }) => o.slug,
      );
    expect(await offered()).toEqual(['loyalty_money']);
    const card = await c.page('PaymentOptionSelectionPage', { payment_option: '1' });
    expect(card.status).toBe(200);
    expect(card.body.errors).toEqual({ payment_option: ['Enter a valid value.'] });
    expect(card.body.pre_order.payment_option).toBeNull();
    const notNeeded = { non_field_errors: 'Loyalty money covers the whole order; no card payment is needed.' };
    for (const [page, form] of [
      ['InstallmentSelectionPage', { installment: '1' }],
      ['CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved)],
      ['BinNumberPage', { bin_number: '424242' }],
      ['InstallmentSelectionPage', undefined],
    ] as const) {
      const refused = await c.page(page, form);
      expect(refused.status).toBe(200);
      expect(refused.body.errors).toEqual(notNeeded);
    }
    expect(await ordersOf(c.userId)).toEqual([]);
    // Lowering the store-credit amount brings the card back, as the guide's Scenario 2 describes.
    expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '29.99' })).body.errors).toBeNull();
    expect(await offered()).toEqual(['credit_card', 'loyalty_money']);
    const again = await c.page('PaymentOptionSelectionPage', { payment_option: '1' });
    expect(again.body.errors).toBeNull();
    expect(again.body.context_list[0].page_name).toBe('BinNumberPage');
    expect((await c.page('BinNumberPage', { bin_number: '424242' })).body.errors).toBeNull();
    // The full amount again: the card goes, and the card pages keep refusing.
    expect((await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' })).body.errors).toBeNull();
    expect((await c.page('BinNumberPage', { bin_number: '424242' })).body.errors).toEqual(notNeeded);
    // The loyalty page completes it instead.
    await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    expect((await c.page('LoyaltyMoneyPage', { agreement: 'on' })).body.errors).toBeNull();
    expect(await balanceOf(c.userId)).toBe(2_000n);
  });

  it('keeps an order whose card charge has an unknown outcome for review, and never charges it twice', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, '10.00');
    const approvedBefore = (await gateway.stats()).approved;
    const unknown = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.gatewayError));
    expect(unknown.status).toBe(200);
    const orders = await ordersOf(c.userId);
    expect(orders.map((o) => o.status)).toEqual(['payment_review']);
    expect(unknown.body.errors).toEqual({
      non_field_errors: `We could not confirm your card payment. Order ${orders[0].number} is kept for our staff to check; please do not pay again.`,
    });
    // No store credit spent, the stock held for the order, and no basket to pay for a second time.
    expect(await balanceOf(c.userId)).toBe(5_000n);
    expect(await stockOf(c.product)).toBe(4);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toEqual([]);
    const again = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
    expect(again.body.errors).not.toBeNull();
    expect((await gateway.stats()).approved).toBe(approvedBefore);
    expect((await ordersOf(c.userId)).map((o) => o.status)).toEqual(['payment_review']);
  });

  it('leaves the store credit unspent and the basket intact when the card is declined', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, '10.00');
    const approvedBefore = (await gateway.stats()).approved;
    const declined = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.declined));
    expect(declined.status).toBe(200);
    expect(declined.body.errors).toEqual({
      non_field_errors: 'The card was declined; no payment was taken. Try another card.',
    });
    expect(await balanceOf(c.userId)).toBe(5_000n);
    const orders = await ordersOf(c.userId);
    expect(orders.map((o) => o.status)).toEqual(['cancelled']);
    expect(await saleCredit(orders[0].number)).toEqual([]);
    const ledgerRows: { n: string }[] = await db.query(
      'SELECT count(*)::text AS n FROM loyalty_transaction WHERE order_number = $1',
      [orders[0].number],
    );
    expect(ledgerRows[0].n).toBe('0');
    expect(await stockOf(c.product)).toBe(5);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toMatchObject([
      { product: { pk: c.product }, quantity: 1 },
    ]);
    expect((await gateway.stats()).approved).toBe(approvedBefore);
    // The checkout state survived: the loyalty amount is still chosen and another card completes the order.
    expect(declined.body.pre_order).toMatchObject({ loyalty_money: '10.00', unpaid_amount: '20.00' });

    const poor = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.insufficientFunds));
    expect(poor.body.errors).toEqual({
      non_field_errors: 'The card was declined for insufficient funds; no payment was taken.',
    });
    const noThreeD = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.threeDRequired));
    expect(noThreeD.body.errors).toEqual({
      non_field_errors: 'This card needs 3-D Secure: choose 3-D Secure and try again.',
    });
    const threeD = await c.page(
      'CreditCardConfirmationPage',
      cardForm(SANDBOX_CARDS.threeDRequired, { use_three_d: 'true' }),
    );
    expect(threeD.body.errors).toBeNull();
    expect(threeD.body.context_list[0].page_name).toBe('ThankYouPage');
    expect(await balanceOf(c.userId)).toBe(4_000n);
    expect((await ordersOf(c.userId)).map((o) => o.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
      'completed',
    ]);
    expect((await gateway.stats()).approved).toBe(approvedBefore + 1);
  });

  it('voids the approved charge when the store credit is spent elsewhere while the card is being charged', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, '10.00');
    const other = await newCustomer(app);
    const sink = await fundedAccount(app, { owner: other.userId, balance: '0.00' });
    const charge = gateway.charge.bind(gateway);
    // The bank approves, but meanwhile 45.00 of the 50.00 leaves the account: the 10.00 can no longer be paid.
    const spy = jest.spyOn(gateway, 'charge').mockImplementationOnce(async (request) => {
      await adminLedger(app.app.get(LedgerService)).transfer(CH, {
        amount: '45.00',
        source_account: c.account!,
        destination_account: sink.pk,
      });
      return charge(request);
    });
    try {
      const failed = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
      expect(failed.status).toBe(200);
      expect(failed.body.errors).toEqual({ non_field_errors: expect.any(String) });
    } finally {
      spy.mockRestore();
    }
    const orders = await ordersOf(c.userId);
    expect(orders.map((o) => o.status)).toEqual(['cancelled']);
    const charges = await db.getRepository(CardChargeEntity).findBy({ orderId: orders[0].id });
    expect(charges.map((x) => x.status)).toEqual(['voided']);
    expect((await gateway.stats(orders[0].number)).voided).toBe(true);
    expect(await saleCredit(orders[0].number)).toEqual([]);
    expect(await balanceOf(c.userId)).toBe(500n);
    expect(await stockOf(c.product)).toBe(5);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toHaveLength(1);
  });

  it('answers bad card fields with 200 errors per field and places nothing', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, null);
    const cases: [Record<string, string>, Record<string, string[]>][] = [
      [{ card_number: '4242424242424241' }, { card_number: ['Enter a valid card number.'] }],
      [{ card_number: '6011111111111117' }, { card_number: ['This card type is not accepted.'] }],
      [{ card_month: '01', card_year: '2020' }, { card_month: ['The card has expired or its date is invalid.'] }],
      [{ card_month: '13' }, { card_month: ['The card has expired or its date is invalid.'] }],
      [{ card_cvv: '12' }, { card_cvv: [CVV_MESSAGE] }],
      [{ card_cvv: '1234' }, { card_cvv: [CVV_MESSAGE] }],
      [{ card_holder: '' }, { card_holder: ['This field is required.'] }],
    ];
    for (const [change, errors] of cases) {
      const refused = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved, change));
      expect(refused.status).toBe(200);
      expect(refused.body.errors).toEqual(errors);
    }
    const amexThreeDigits = await c.page(
      'CreditCardConfirmationPage',
      cardForm(SANDBOX_CARDS.approvedAmex, { card_cvv: '123' }),
    );
    expect(Object.keys(amexThreeDigits.body.errors)).toEqual(['card_cvv']);
    const everything = await c.page('CreditCardConfirmationPage', {
      agreement: 'true',
      card_number: '1234',
      card_month: '1',
      card_year: '1999',
    });
    expect(Object.keys(everything.body.errors).sort()).toEqual([
      'card_cvv',
      'card_holder',
      'card_month',
      'card_number',
    ]);
    const bin = await c.page('BinNumberPage', { bin_number: '12ab' });
    expect(bin.body.errors).toEqual({ bin_number: ['Enter the first 6 to 8 digits of a card we accept.'] });
    const installment = await c.page('InstallmentSelectionPage', { installment: '2' });
    expect(installment.body.errors).toEqual({ installment: ['Enter a valid value.'] });
    expect(await ordersOf(c.userId)).toEqual([]);
    const token = await csrfToken(app.http);
    const guest = await app.http.request(`${CHECKOUT}?page=CreditCardConfirmationPage`, {
      method: 'POST',
      form: cardForm(SANDBOX_CARDS.approved),
      headers: { 'Accept-Language': 'en', Cookie: `csrftoken=${token}`, 'X-CSRFToken': token },
    });
    expect(guest.status).toBe(200);
    expect(guest.body.errors).toEqual({ non_field_errors: 'Sign in to check out.' });
    // A spaced number as typed is fine, and an Amex with its 4-digit code.
    const spaced = await c.page('CreditCardConfirmationPage', cardForm('3782 822463 10005'));
    expect(spaced.body.errors).toBeNull();
    const order = await completedOrder(c, spaced.body.context_list[0]);
    expect(order).toMatchObject({ card_last4: '0005', card_type: 'amex', card_amount: '30.00' });
  });

  it('charges 3 installments with the configured interest, exactly', async () => {
    const c = await ready('50.00', '33.33');
    await steps(c);
    await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' });
    await c.page('PaymentOptionSelectionPage', { payment_option: '1' });
    const bin = await c.page('BinNumberPage', { bin_number: '55555555' });
    expect(bin.body.context_list[0].page_context.card_type).toEqual({
      slug: 'mastercard',
      name: 'MasterCard',
      logo: null,
    });
    // 23.33 unpaid: 3 % is 0.6999 -> 0.70; 6 % is 1.3998 -> 1.40; monthly shares rounded half up.
    expect(
      bin.body.context_list[0].page_context.installments.map(
        (i: { price_with_accrued_interest: string; monthly_price_with_accrued_interest: string }) => [
          i.price_with_accrued_interest,
          i.monthly_price_with_accrued_interest,
        ],
      ),
    ).toEqual([
      ['23.33', '23.33'],
      ['24.03', '8.01'],
      ['24.73', '4.12'],
    ]);
    const chosen = await c.page('InstallmentSelectionPage', { installment: '3' });
    expect(chosen.body.pre_order).toMatchObject({
      installment: { pk: 3, installment_count: 3, price_with_accrued_interest: '24.03' },
      total_amount: '33.33',
      total_amount_with_interest: '34.03',
      unpaid_amount: '23.33',
    });
    const done = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approvedMastercard));
    expect(done.body.errors).toBeNull();
    const order = await completedOrder(c, done.body.context_list[0]);
    expect(order).toMatchObject({
      amount: '33.33',
      loyalty_amount: '10.00',
      card_amount: '23.33',
      interest_amount: '0.70',
      installment_count: 3,
      card_type: 'mastercard',
    });
    const charges = await db.getRepository(CardChargeEntity).findBy({ orderId: order.pk });
    expect(charges).toMatchObject([{ amount: 2_403n, interestAmount: 70n, installmentCount: 3, status: 'approved' }]);
  });

  it('places one order and one charge when the confirmation is posted twice at once', async () => {
    const c = await ready('50.00');
    await toConfirmation(c, '10.00');
    const approvedBefore = (await gateway.stats()).approved;
    const answers = await Promise.all([
      c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved)),
      c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved)),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeNull();
      expect(answer.body.context_list[0].page_name).toBe('ThankYouPage');
    }
    expect(answers[0].body.context_list[0].page_context.order_id).toBe(
      answers[1].body.context_list[0].page_context.order_id,
    );
    const orders = await ordersOf(c.userId);
    expect(orders).toHaveLength(1);
    expect(await db.getRepository(CardChargeEntity).countBy({ orderId: orders[0].id })).toBe(1);
    expect((await gateway.stats()).approved).toBe(approvedBefore + 1);
    expect(await saleCredit(orders[0].number)).toEqual(['10.00']);
    expect(await balanceOf(c.userId)).toBe(4_000n);
  });

  it('lets only one of two checkouts of one customer spend the same balance; the other fails cleanly', async () => {
    const a = await ready('50.00', '40.00');
    // A second device: a guest basket, then a sign-in that merges it into the customer's one basket, which both
    // sessions now show.
    const token = await csrfToken(app.http);
    const guestHeaders = { 'Accept-Language': 'en', Cookie: `csrftoken=${token}`, 'X-CSRFToken': token };
    const secondProduct = await product('40.00');
    const guestAdd = await app.http.request('/baskets/basket/', {
      json: { product: secondProduct, quantity: 1 },
      headers: guestHeaders,
    });
    expect(guestAdd.status).toBe(200);
    const guestSession = sessionIdOf(guestAdd);
    const login = await app.http.request('/users/login/', {
      json: { email: a.email, password: PASSWORD },
      headers: { 'Accept-Language': 'en', Cookie: `osessionid=${guestSession}; csrftoken=${token}` },
    });
    expect(login.status).toBe(200);
    const b = {
      ...customerSession(app, { session: sessionIdOf(login), token, userId: a.userId, email: a.email }),
      address: a.address,
      product: secondProduct,
    };
    const lines = (await a.get('/baskets/basket/')).body.basket.basketitem_set as { product: { pk: number } }[];
    expect(lines.map((l) => l.product.pk).sort((x, y) => x - y)).toEqual(
      [a.product, secondProduct].sort((x, y) => x - y),
    );

    // Both sessions use 30.00 of the 50.00 balance for the 80.00 basket and pay the rest by card, at the same time.
    await toConfirmation(a, '30.00');
    await toConfirmation(b, '30.00');
    const approvedBefore = (await gateway.stats()).approved;
    const [first, second] = await Promise.all([
      a.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved)),
      b.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved)),
    ]);
    const answers = [first, second];
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const won = answers.filter((r) => r.body.errors === null);
    const lost = answers.filter((r) => r.body.errors !== null);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(won[0].body.context_list[0].page_name).toBe('ThankYouPage');
    expect(lost[0].body.errors).toHaveProperty('non_field_errors');
    // Spent once, never below zero; one order, one card charge: the loser was refused before its card was charged.
    expect(await balanceOf(a.userId)).toBe(2_000n);
    const orders = await ordersOf(a.userId);
    expect(orders.map((o) => o.status)).toEqual(['completed']);
    expect((await gateway.stats()).approved).toBe(approvedBefore + 1);
  });

  it('cross-refunds a card-paid order to store credit over the back office, capped by its total', async () => {
    const c = await ready(null);
    await toConfirmation(c, null, '3');
    const done = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
    expect(done.body.errors).toBeNull();
    const order = await completedOrder(c, done.body.context_list[0]);
    // 30.00 by card in 3 installments: 30.90 charged, yet only the order total can be refunded.
    expect(order).toMatchObject({ amount: '30.00', card_amount: '30.00', interest_amount: '0.90' });
    const post = (amount: string) =>
      omnitronCall('POST', 'loyalty-transactions/cross-refund/', { order_number: order.number, amount });
    const over = await post('30.01');
    expect(over.status).toBe(400);
    expect(over.body.code).toBe('refund_cap_exceeded');
    const part = await post('20.00');
    expect(part.status).toBe(200);
    expect(part.body).toMatchObject({ amount: '20.00', order: order.pk, user: c.userId, reference: order.number });
    expect((await post('10.01')).status).toBe(400);
    expect((await post('10.00')).status).toBe(200);
    expect(await balanceOf(c.userId)).toBe(3_000n);
    const mine = await c.get('/account/loyalty/');
    expect(mine.body.results.map((t: { amount: string }) => t.amount).sort()).toEqual(['10.00', '20.00']);
  });

  it('credits LOYALTY_EARNING_RATE of the card-paid amount once, rounded down, opening an account if needed', async () => {
    const patched = await omnitronCall('PATCH', 'dynamic_settings/', { LOYALTY_EARNING_RATE: '2.5' });
    expect(patched.status).toBe(200);
    expect(patched.body.LOYALTY_EARNING_RATE).toBe('2.50');
    try {
      // 23.33 by card: 2.5 % is 0.58325, credited as 0.58 (interest not counted).
      const c = await ready('50.00', '33.33');
      await toConfirmation(c, '10.00', '6');
      const done = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved));
      expect(done.body.errors).toBeNull();
      const order = await completedOrder(c, done.body.context_list[0]);
      expect(await balanceOf(c.userId)).toBe(4_058n);
      const mine = await c.get('/account/loyalty/');
      expect(mine.body.results).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ amount: '0.58', transaction: expect.objectContaining({ order: order.number }) }),
          expect.objectContaining({ amount: '-10.00' }),
        ]),
      );
      // Crediting the same order again moves nothing.
      const first = await db.query(
        `SELECT uuid FROM loyalty_transaction WHERE order_number = $1 AND kind = 'transfer'`,
        [order.number],
      );
      const again = await adminLedger(app.app.get(LedgerService)).creditOrderEarning(CH, {
        order_number: order.number,
        amount_minor: 58n,
      });
      expect(again.transaction_uuid).toBe(first[0].uuid);
      expect(await balanceOf(c.userId)).toBe(4_058n);

      // A customer without any loyalty account gets one: 20.00 by card at 2.5 % is 0.50.
      const fresh = await ready(null, '20.00');
      await toConfirmation(fresh, null);
      expect((await fresh.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved))).body.errors).toBeNull();
      expect(await balanceOf(fresh.userId)).toBe(50n);
      expect((await fresh.get('/account/loyalty/')).body.results).toMatchObject([{ amount: '0.50' }]);
    } finally {
      await settings.patch(CH, { LOYALTY_EARNING_RATE: '0' });
    }
    // Off again: a card order earns nothing.
    const off = await ready(null, '20.00');
    await toConfirmation(off, null);
    expect((await off.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved))).body.errors).toBeNull();
    expect(await balanceOf(off.userId)).toBe(0n);
  });
});
