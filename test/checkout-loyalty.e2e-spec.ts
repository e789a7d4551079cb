import { DataSource } from 'typeorm';
import { adminLedger } from './helpers/ledger-edge';
import { OrderEntity } from '@app/checkout';
import { LedgerQueryService, LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { csrfToken } from './helpers/identity';
import { startTestApp, type TestApp } from './helpers/test-app';
import {
  addAddress,
  createProduct,
  saleCredit as saleCreditOf,
  stepsToPayment,
  type StorefrontCustomer,
} from './helpers/checkout';
import { fundedAccount, newCustomer } from './helpers/fixtures';

const CH = 1;
const CHECKOUT = '/orders/checkout/';

type Customer = StorefrontCustomer;

describe('checkout pages: an order paid entirely with loyalty money', () => {
  let app: TestApp;
  let settings: DynamicSettingsService;

  const product = (price: string, stock = 5): Promise<number> => createProduct(app, price, stock);

  const saleCredit = (orderNumber: string): Promise<string[]> => saleCreditOf(app, orderNumber);

  /** A customer with `balance` of store credit, one product of `price` in the basket and one address. */
  const ready = async (balance: string, price = '30.00') => {
    const c = await newCustomer(app);
    const account = await fundedAccount(app, { owner: c.userId, balance });
    const pk = await product(price);
    expect((await c.json('POST', '/baskets/basket/', { product: pk, quantity: 1 })).status).toBe(200);
    return { ...c, address: await addAddress(c), product: pk, account: account.pk };
  };

  /** The steps before payment, as the client auto-posts them. */
  const steps = (c: Customer & { address: number }) => stepsToPayment(c, c.address);

  beforeAll(async () => {
    app = await startTestApp('storefront');
    settings = app.app.get(DynamicSettingsService);
    await settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
  });
  afterAll(() => app.close());

  it('walks Scenario 2 to the thank-you page: SALE paid, balance lowered, stock taken, basket emptied', async () => {
    const c = await ready('50.00');

    const start = await c.get(CHECKOUT);
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({
      template_name: 'orders/checkout.html',
      errors: null,
      context_list: [
        {
          page_name: 'DeliveryOptionSelectionPage',
          page_slug: 'deliveryoptionselectionpage',
          page_context: { delivery_options: [{ pk: 1, delivery_option_type: 'customer' }] },
        },
      ],
      pre_order: { total_amount: '30.00', unpaid_amount: '30.00', loyalty_money: '0.00', is_guest: false },
    });

    const shipped = await steps(c);
    expect(shipped.body.context_list[0].page_name).toBe('PaymentOptionSelectionPage');
    const slugs = shipped.body.context_list[0].page_context.payment_options.map((o: { slug: string }) => o.slug);
    expect(slugs).toEqual(['credit_card', 'loyalty_money']);
    expect(shipped.body.pre_order).toMatchObject({
      delivery_option: { pk: 1 },
      shipping_address: { pk: c.address },
      billing_address: { pk: c.address },
      shipping_option: { pk: 1 },
      shipping_amount: '0.00',
      total_amount: '30.00',
      currency_type_label: 'TRY',
    });

    const usage = await c.page('LoyaltyMoneyUsagePage');
    expect(usage.body.context_list[0]).toEqual({
      page_name: 'LoyaltyMoneyUsagePage',
      page_slug: 'loyaltymoneyusagepage',
      page_context: { balance: '50.00' },
    });
    const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
    expect(used.status).toBe(200);
    expect(used.body.errors).toBeNull();
    expect(used.body.context_list).toEqual([{ page_name: 'EmptyPage', page_slug: 'emptypage', page_context: {} }]);
    expect(used.body.pre_order).toMatchObject({ loyalty_money: '30.00', unpaid_amount: '0.00' });

    const loyal = await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    expect(loyal.body.errors).toBeNull();
    expect(loyal.body.pre_order.payment_option).toMatchObject({ slug: 'loyalty_money', payment_type: 'loyalty_money' });

    // Loyalty money was chosen: the card pages refuse with 200 and errors, never a 4xx.
    const bin = await c.page('BinNumberPage', { bin_number: '435508' });
    expect(bin.status).toBe(200);
    expect(bin.body.errors).toEqual({ non_field_errors: 'Choose card payment first.' });

    const noAgreement = await c.page('LoyaltyPaymentSelectedPage', {});
    expect(noAgreement.status).toBe(200);
    expect(Object.keys(noAgreement.body.errors)).toEqual(['agreement']);

    const done = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(done.status).toBe(200);
    expect(done.body.errors).toBeNull();
    const thanks = done.body.context_list[0];
    expect(thanks).toMatchObject({
      page_name: 'ThankYouPage',
      page_slug: 'thankyoupage',
      page_context: { order_id: expect.any(Number), new_user: false, campaigns: [] },
    });
    const token: string = thanks.page_context.token;
    expect(thanks.page_context.redirect_url).toBe(`/orders/completed/${token}/`);
    expect(done.body.pre_order.basket.basketitem_set).toEqual([]);

    expect(await app.app.get(LedgerQueryService).userBalance(CH, c.userId, 'try')).toBe(2_000n);
    const stock: { stock: number }[] = await app.app
      .get(DataSource)
      .query('SELECT stock FROM product WHERE id = $1', [c.product]);
    expect(stock[0].stock).toBe(4);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toEqual([]);
    expect((await c.page('LoyaltyMoneyUsagePage')).body.context_list[0].page_context).toEqual({ balance: '20.00' });

    const completed = await c.get(`/orders/completed/${token}/?format=json`);
    expect(completed.status).toBe(200);
    expect(completed.body.order).toMatchObject({
      pk: thanks.page_context.order_id,
      number: expect.stringMatching(/^[1-9]\d{15}$/),
      amount: '30.00',
      loyalty_amount: '30.00',
      card_amount: '0.00',
      status: 'completed',
      currency: 'try',
      orderitem_set: [{ product: c.product, quantity: 1, unit_price: '30.00', total_amount: '30.00' }],
      payment_option: { slug: 'loyalty_money' },
      installment_count: 1,
    });
    expect(await saleCredit(completed.body.order.number)).toEqual(['30.00']);
    const forged = `${completed.body.order.number}-${'0'.repeat(64)}`;
    expect((await c.get(`/orders/completed/${forged}/?format=json`)).status).toBe(404);
    expect((await c.get('/orders/completed/nonsense/?format=json')).status).toBe(404);

    // Posting the last page again answers the same thank-you page and places nothing.
    const again = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(again.body.context_list[0].page_context.order_id).toBe(thanks.page_context.order_id);
    expect(await app.app.get(LedgerQueryService).userBalance(CH, c.userId, 'try')).toBe(2_000n);
  });

  describe('refuses amounts above the balance or the total, and a partial amount at the final page, with 200 errors', () => {
    /** 50.00 of store credit, a basket of 40.00, at the loyalty-money page. */
    let c: Awaited<ReturnType<typeof ready>>;
    beforeAll(async () => {
      c = await ready('50.00', '40.00');
      await steps(c);
    });

    it('refuses an amount above the balance (50.01 of 50.00), naming the total (40.00) as the limit', async () => {
      const above = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '50.01' });
      expect(above.status).toBe(200);
      // The real limit: the order total (40.00) is below the balance (50.00).
      expect(above.body.errors).toEqual({ loyalty_amount_to_use: ['You can use at most 40.00 of loyalty money.'] });
    });

    it('refuses an amount above the total (45.00 of 40.00)', async () => {
      const overTotal = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '45.00' });
      expect(overTotal.body.errors).toEqual({ loyalty_amount_to_use: ['You can use at most 40.00 of loyalty money.'] });
    });

    it.each(['0', '-1', 'abc', '1.234'])('refuses an amount of %s, on loyalty_amount_to_use', async (bad) => {
      const refused = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: bad });
      expect(refused.status).toBe(200);
      expect(Object.keys(refused.body.errors)).toEqual(['loyalty_amount_to_use']);
    });

    it('answers an unknown page with "Unknown checkout page."', async () => {
      const unknown = await c.page('NoSuchPage', {});
      expect(unknown.status).toBe(200);
      expect(unknown.body.errors).toEqual({ non_field_errors: 'Unknown checkout page.' });
    });

    it('refuses a partial amount (10.00 of 40.00) at the final page: 30.00 is still unpaid, and no order is placed', async () => {
      const partialCustomer = await ready('50.00', '40.00');
      await steps(partialCustomer);
      const partial = await partialCustomer.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '10.00' });
      expect(partial.body.pre_order).toMatchObject({ loyalty_money: '10.00', unpaid_amount: '30.00' });
      await partialCustomer.page('PaymentOptionSelectionPage', { payment_option: '2' });
      // Posted as JSON, as the guide's examples are: `true` is the agreement, so the refusal is about the amount.
      const refused = await partialCustomer.json('POST', `${CHECKOUT}?page=LoyaltyMoneyPage`, { agreement: true });
      expect(refused.status).toBe(200);
      expect(refused.body.errors).toEqual({
        non_field_errors: 'Loyalty money must cover the whole order; 30.00 is still unpaid.',
      });
      expect(await app.app.get(DataSource).getRepository(OrderEntity).countBy({ userId: partialCustomer.userId })).toBe(
        0,
      );
    });
  });

  it('names the balance as the limit when it is below the total', async () => {
    const c = await ready('20.00', '40.00');
    await steps(c);
    const above = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '25.00' });
    expect(above.body.errors).toEqual({ loyalty_amount_to_use: ['You can use at most 20.00 of loyalty money.'] });
  });

  it('names a page that works next when store credit is chosen before it covers the order', async () => {
    const c = await ready('50.00');
    await steps(c);
    // No amount yet: the answer names the usage page (the final page would refuse), and it works at once.
    const chosen = await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    expect(chosen.body.errors).toBeNull();
    expect(chosen.body.context_list).toEqual([
      { page_name: 'LoyaltyMoneyUsagePage', page_slug: 'loyaltymoneyusagepage', page_context: { balance: '50.00' } },
    ]);
    const used = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
    expect(used.body.errors).toBeNull();
    // Covered: choosing store credit names the final page, and posting it places the order.
    const again = await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    expect(again.body.context_list[0].page_name).toBe('LoyaltyPaymentSelectedPage');
    const done = await c.page(again.body.context_list[0].page_name, { agreement: 'true' });
    expect(done.body.errors).toBeNull();
    expect(done.body.context_list[0].page_name).toBe('ThankYouPage');
  });

  it('places one order and one payment when the final page is posted twice at once', async () => {
    const c = await ready('50.00');
    await steps(c);
    await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
    await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    const answers = await Promise.all([
      c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' }),
      c.page('LoyaltyMoneyPage', { agreement: 'on' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeNull();
      expect(answer.body.context_list[0].page_name).toBe('ThankYouPage');
    }
    expect(answers[0].body.context_list[0].page_context.order_id).toBe(
      answers[1].body.context_list[0].page_context.order_id,
    );
    const orders = await app.app.get(DataSource).getRepository(OrderEntity).findBy({ userId: c.userId });
    expect(orders).toHaveLength(1);
    const payments: { n: string }[] = await app.app
      .get(DataSource)
      .query(`SELECT count(*)::text AS n FROM loyalty_transaction WHERE order_number = $1`, [orders[0].number]);
    expect(payments[0].n).toBe('1');
    expect(await app.app.get(LedgerQueryService).userBalance(CH, c.userId, 'try')).toBe(2_000n);
  });

  it('cancels the order and gives back stock and basket when the payment fails', async () => {
    const c = await ready('50.00');
    await steps(c);
    await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
    await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
    // The balance is spent elsewhere between the usage page and the final page.
    const other = await newCustomer(app);
    const sink = await fundedAccount(app, { owner: other.userId, balance: '0.00' });
    await adminLedger(app.app.get(LedgerService)).transfer(CH, {
      amount: '40.00',
      source_account: c.account,
      destination_account: sink.pk,
    });

    const failed = await c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });
    expect(failed.status).toBe(200);
    expect(failed.body.errors).toEqual({ non_field_errors: expect.any(String) });
    const orders = await app.app.get(DataSource).getRepository(OrderEntity).findBy({ userId: c.userId });
    expect(orders.map((o) => o.status)).toEqual(['cancelled']);
    const stock: { stock: number }[] = await app.app
      .get(DataSource)
      .query('SELECT stock FROM product WHERE id = $1', [c.product]);
    expect(stock[0].stock).toBe(5);
    expect((await c.get('/baskets/basket/')).body.basket.basketitem_set).toMatchObject([
      { product: { pk: c.product }, quantity: 1 },
    ]);
    expect(await app.app.get(LedgerQueryService).userBalance(CH, c.userId, 'try')).toBe(1_000n);
  });

  it('answers a guest with 200 errors, never a 4xx', async () => {
    const token = await csrfToken(app.http);
    const headers = { 'Accept-Language': 'en', Cookie: `csrftoken=${token}`, 'X-CSRFToken': token };
    const get = await app.http.get(CHECKOUT, headers);
    expect(get.status).toBe(200);
    expect(get.body.pre_order).toMatchObject({ is_guest: true, total_amount: '0.00' });
    const post = await app.http.request(`${CHECKOUT}?page=DeliveryOptionSelectionPage`, {
      method: 'POST',
      form: { delivery_option: '1' },
      headers,
    });
    expect(post.status).toBe(200);
    expect(post.body.errors).toEqual({ non_field_errors: 'Sign in to check out.' });
  });

  it('offers no loyalty money while LOYALTY_MONEY_ENABLED is off', async () => {
    const c = await ready('50.00');
    await settings.patch(CH, { LOYALTY_MONEY_ENABLED: false });
    try {
      const shipped = await steps(c);
      const options = shipped.body.context_list[0].page_context.payment_options;
      expect(options.map((o: { slug: string }) => o.slug)).toEqual(['credit_card']);
      const get = await c.page('LoyaltyMoneyUsagePage');
      expect(get.status).toBe(200);
      expect(get.body.errors).toEqual({ non_field_errors: 'Paying with loyalty money is not available.' });
      const post = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: '30.00' });
      expect(post.status).toBe(200);
      expect(post.body.errors).toEqual({ non_field_errors: 'Paying with loyalty money is not available.' });
      const option = await c.page('PaymentOptionSelectionPage', { payment_option: '2' });
      expect(Object.keys(option.body.errors)).toEqual(['payment_option']);
      expect(option.body.pre_order.loyalty_money).toBe('0.00');
    } finally {
      await settings.patch(CH, { LOYALTY_MONEY_ENABLED: true });
    }
  });
});
