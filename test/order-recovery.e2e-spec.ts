import { DataSource } from 'typeorm';
import { formatAmount, InjectedFaults } from '@app/common';
import {
  CARD_GATEWAY,
  CardChargeEntity,
  OrderEntity,
  OrderRecoveryWorker,
  SANDBOX_CARDS,
  type SandboxCardGateway,
} from '@app/checkout';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import { addAddress, createProduct, stepsToPayment, type StorefrontCustomer } from './helpers/checkout';
import { startTestApp, type TestApp } from './helpers/test-app';
import { fundedAccount, newCustomer, newStaff } from './helpers/fixtures';

/**
 * Issue 13: a placement stopped after each committed step (a test-only fault point throws there, leaving the state
 * a killed process would), then a fresh app instance on the same database runs recovery. Whatever the point: no
 * approved charge without a `completed` or `payment_review` order, no store credit spent on a cancelled order, stock
 * and basket back for a cancelled one, a repeated final post never starts a second charge, and the ledger's
 * invariants hold.
 */
const CH = 1;
const NEXT_YEAR = String(new Date().getUTCFullYear() + 1);
const ENV = { ORDER_RECOVERY_ENABLED: 'false', ORDER_RECOVERY_GRACE_MS: '0' };

const cardForm = (number: string) => ({
  agreement: '1',
  card_holder: 'Jane Doe',
  card_number: number,
  card_month: '12',
  card_year: NEXT_YEAR,
  card_cvv: '123',
});

/** The final state a recovery must reach from each point, for a card order with a store-credit part. */
const CARD_POINTS: [point: string, expected: 'completed' | 'cancelled'][] = [
  ['order.placed', 'cancelled'],
  ['card.charge_requested', 'cancelled'],
  ['card.gateway_answered', 'completed'],
  ['card.charge_recorded', 'completed'],
  ['card.charged', 'completed'],
  ['loyalty.paid', 'completed'],
  ['order.completed', 'completed'],
];
const STORE_CREDIT_POINTS: [string, 'completed' | 'cancelled'][] = [
  ['order.placed', 'cancelled'],
  ['loyalty.paid', 'completed'],
  ['order.completed', 'completed'],
];

describe('order placement survives a crash after every step', () => {
  const faults = new InjectedFaults();
  let app: TestApp;
  let db: DataSource;

  let omnitron: TestApp;
  let staffToken: string;
  let staffId: number;

  beforeAll(async () => {
    app = await startTestApp('storefront', { env: ENV, faults });
    db = app.app.get(DataSource);
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_MONEY_ENABLED: true });
    omnitron = await startTestApp('omnitron', { env: ENV, databaseUrl: app.config.databaseUrl });
    const staff = await newStaff(omnitron, { channels: [CH] });
    staffId = staff.id;
    staffToken = staff.token;
  });
  afterAll(async () => {
    await omnitron.close();
    await app.close();
  });

  const backOffice = (method: string, path: string, json?: unknown) =>
    omnitron.http.request(`/api/v1/remote/${CH}/${path}`, {
      method,
      json,
      headers: { 'Accept-Language': 'en', Authorization: `Token ${staffToken}` },
    });
  afterEach(() => {
    faults.clear();
  });

  /** A customer with 50.00 of store credit, an 80.00 product in the basket, at the confirmation page. */
  async function atConfirmation(byCard: boolean) {
    const c = await newCustomer(app);
    await fundedAccount(app, { owner: c.userId, balance: '50.00' });
    const product = await createProduct(app, byCard ? '80.00' : '40.00', 5);
    expect((await c.json('POST', '/baskets/basket/', { product, quantity: 1 })).status).toBe(200);
    await stepsToPayment(c, await addAddress(c));
    const loyalty = await c.page('LoyaltyMoneyUsagePage', { loyalty_amount_to_use: byCard ? '30.00' : '40.00' });
    expect(loyalty.body.errors).toBeNull();
    const option = await c.page('PaymentOptionSelectionPage', { payment_option: byCard ? '1' : '2' });
    expect(option.body.errors).toBeNull();
    if (byCard) {
      expect((await c.page('BinNumberPage', { bin_number: '424242' })).body.errors).toBeNull();
      expect((await c.page('InstallmentSelectionPage', { installment: '1' })).body.errors).toBeNull();
    }
    return { c, product };
  }

  const finalPost = (c: StorefrontCustomer, byCard: boolean) =>
    byCard
      ? c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.approved))
      : c.page('LoyaltyPaymentSelectedPage', { agreement: 'true' });

  const gatewayOf = (instance: TestApp) => instance.app.get<SandboxCardGateway>(CARD_GATEWAY);
  const stockOf = async (product: number) =>
    (await db.query<{ stock: number }[]>('SELECT stock FROM product WHERE id = $1', [product]))[0].stock;
  const basketLines = async (userId: number) =>
    (
      await db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM basket_item i JOIN basket b ON b.id = i.basket_id WHERE b.user_id = $1`,
        [userId],
      )
    )[0].n;
  const storeCreditSpent = async (orderNumber: string) =>
    (
      await db.query<{ n: string }[]>(
        `SELECT coalesce(sum(t.amount), 0)::numeric(20,2)::text AS n FROM loyalty_transfer t
           JOIN loyalty_account a ON a.id = t.account_id JOIN loyalty_transaction x ON x.id = t.transaction_id
          WHERE a.kind = 'sale' AND x.order_number = $1`,
        [orderNumber],
      )
    )[0].n;

  async function expectRecoveryAfterCrash(point: string, byCard: boolean, expected: 'completed' | 'cancelled') {
    const { c, product } = await atConfirmation(byCard);
    const stockBefore = await stockOf(product);
    const approvedBefore = (await gatewayOf(app).stats()).approved;
    faults.arm(point);
    const crashed = await finalPost(c, byCard);
    expect(crashed.status).toBe(500);
    expect(faults.seen).toContain(point);
    faults.clear();
    const [order] = await db.getRepository(OrderEntity).find({ where: { userId: c.userId }, order: { id: 'DESC' } });
    expect(order).toBeDefined();

    // Before recovery, a repeated final post starts no second charge. (It would finish a store-credit order at once,
    // see the resume test below: here nobody retries, and recovery decides.)
    if (byCard) {
      const repeat = await finalPost(c, byCard);
      expect(repeat.status).toBe(200);
      expect((await gatewayOf(app).stats()).approved).toBeLessThanOrEqual(approvedBefore + 1);
    }

    // A new instance on the same database (the crashed one is gone) recovers the order.
    const restarted = await startTestApp('storefront', { env: ENV, databaseUrl: app.config.databaseUrl });
    try {
      await restarted.app.get(OrderRecoveryWorker).runOnce();
      // A second run, as another leader would after a pause, changes nothing.
      await restarted.app.get(OrderRecoveryWorker).runOnce();
    } finally {
      await restarted.close();
    }
    const after = await db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect(after.status).toBe(expected);
    const charge = await db.getRepository(CardChargeEntity).findOneBy({ orderId: order.id });
    const approvedNow = (await gatewayOf(app).stats()).approved;
    if (expected === 'completed') {
      expect(await storeCreditSpent(order.number)).toBe(byCard ? '30.00' : '40.00');
      if (byCard) {
        expect(charge?.status).toBe('approved');
        expect(approvedNow).toBe(approvedBefore + 1);
      }
      expect(await stockOf(product)).toBe(stockBefore - 1);
      // The customer's repeated final post answers the thank-you page, never a new charge.
      const thanks = await finalPost(c, byCard);
      expect(thanks.body.context_list?.[0]?.page_name).toBe('ThankYouPage');
    } else {
      expect(await storeCreditSpent(order.number)).toBe('0.00');
      expect(charge === null || charge.status !== 'approved').toBe(true);
      expect(approvedNow).toBe(approvedBefore);
      expect(await stockOf(product)).toBe(stockBefore);
      expect(await basketLines(c.userId)).toBe(1);
      // An unfinished placement is an attempt, not the customer's order; staff see it and why it was cancelled.
      const mine = await c.get('/users/orders/');
      expect(mine.body.results.map((o: { pk: number }) => o.pk)).not.toContain(order.id);
      const seen = await backOffice('GET', `orders/${order.id}/`);
      expect(seen.body).toMatchObject({
        status: 'cancelled',
        cancel_reason: 'placement_unfinished',
        cancel_detail: expect.stringMatching(/^the (placement stopped|gateway never received)/),
      });
    }
    expect((await gatewayOf(app).stats()).approved).toBe(approvedNow);
    expect(await app.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
    return { c, order: after };
  }

  it.each(CARD_POINTS)('card order stopped after %s ends %s', async (point, expected) => {
    await expectRecoveryAfterCrash(point, true, expected);
  });

  it.each(STORE_CREDIT_POINTS)('store-credit order stopped after %s ends %s', async (point, expected) => {
    await expectRecoveryAfterCrash(point, false, expected);
  });

  it('answers a repeated final post while a card charge is in doubt with "being confirmed", and charges once', async () => {
    const { c } = await atConfirmation(true);
    faults.arm('card.gateway_answered');
    expect((await finalPost(c, true)).status).toBe(500);
    faults.clear();
    const before = (await gatewayOf(app).stats()).approved;
    const repeat = await finalPost(c, true);
    expect(repeat.body.errors.non_field_errors).toMatch(/being confirmed/);
    expect((await gatewayOf(app).stats()).approved).toBe(before);
  });

  it.each([
    ['card.charged', true],
    ['order.placed', false],
  ] as const)(
    'finishes at once, on the repeated final post, an order stopped after %s (card: %s)',
    async (point, byCard) => {
      const { c } = await atConfirmation(byCard);
      const approvedBefore = (await gatewayOf(app).stats()).approved;
      faults.arm(point);
      expect((await finalPost(c, byCard)).status).toBe(500);
      faults.clear();
      const repeat = await finalPost(c, byCard);
      expect(repeat.body.errors).toBeNull();
      expect(repeat.body.context_list[0].page_name).toBe('ThankYouPage');
      const orders = await db.getRepository(OrderEntity).find({ where: { userId: c.userId } });
      expect(orders.map((o) => o.status)).toEqual(['completed']);
      expect(await storeCreditSpent(orders[0].number)).toBe(byCard ? '30.00' : '40.00');
      expect((await gatewayOf(app).stats()).approved).toBe(approvedBefore + (byCard ? 1 : 0));
      expect(await app.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
    },
  );

  it('keeps an unknown charge outcome as payment_review, with its reason, and recovery leaves it to staff', async () => {
    const { c } = await atConfirmation(true);
    faults.arm('card.charge_requested');
    expect((await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.gatewayError))).status).toBe(500);
    faults.clear();
    // The charge request reached the gateway after all (the crash came after it): the gateway cannot tell.
    const [order] = await db.getRepository(OrderEntity).find({ where: { userId: c.userId }, order: { id: 'DESC' } });
    await expect(
      gatewayOf(app).charge({
        idempotencyKey: order.number,
        amountMinor: order.cardAmount + order.interestAmount,
        currency: 'try',
        installmentCount: 1,
        card: { number: SANDBOX_CARDS.gatewayError, holder: 'Jane Doe', month: '12', year: NEXT_YEAR, cvv: '123' },
        threeD: false,
      }),
    ).rejects.toThrow('did not answer');
    await app.app.get(OrderRecoveryWorker).runOnce();
    const after = await db.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    expect([after.status, after.reviewReason]).toEqual([
      'payment_review',
      'the card gateway cannot tell what became of the charge',
    ]);
    expect(await storeCreditSpent(order.number)).toBe('0.00');
  });

  it('shows staff the payment state, and lets them settle a payment_review order: complete, with a reason', async () => {
    const { c, product } = await atConfirmation(true);
    const review = await c.page('CreditCardConfirmationPage', cardForm(SANDBOX_CARDS.gatewayError));
    expect(review.body.errors.non_field_errors).toMatch(/do not pay again/);
    const [order] = await db.getRepository(OrderEntity).find({ where: { userId: c.userId }, order: { id: 'DESC' } });
    const detail = await backOffice('GET', `orders/${order.id}/`);
    expect(detail.body.status).toBe('payment_review');
    expect(detail.body.payment).toEqual({
      card_charge: null,
      loyalty_payment_uuid: null,
      review_reason: 'the card gateway gave no answer',
      settlement: null,
    });
    expect((await backOffice('POST', `orders/${order.id}/settle/`, { action: 'complete' })).status).toBe(400);
    // Completed by staff, the card-paid part earns store credit as a completed placement does.
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_EARNING_RATE: '10' });
    const settled = await backOffice('POST', `orders/${order.id}/settle/`, {
      action: 'complete',
      reason: 'The bank confirmed the charge',
    });
    expect(settled.status).toBe(200);
    expect(settled.body.status).toBe('completed');
    expect(settled.body.payment.loyalty_payment_uuid).toEqual(expect.any(String));
    expect(settled.body.payment.settlement).toMatchObject({
      action: 'complete',
      reason: 'The bank confirmed the charge',
      settled_by: staffId,
    });
    expect(await storeCreditSpent(order.number)).toBe('30.00');
    await app.app.get(DynamicSettingsService).patch(CH, { LOYALTY_EARNING_RATE: '0' });
    const earned = (settled.body.loyalty_transactions as { kind: string; amount: string }[]).filter(
      (x) => x.kind === 'transfer',
    );
    expect(earned.map((x) => x.amount)).toEqual([formatAmount(order.cardAmount / 10n)]);
    expect(await app.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
    const again = await backOffice('POST', `orders/${order.id}/settle/`, { action: 'cancel', reason: 'twice' });
    expect([again.status, again.body.code]).toEqual([409, 'order_not_in_review']);
    expect(await stockOf(product)).toBe(4);
  });

  it('cancels a payment_review order: the charge voided, store credit refunded, stock back', async () => {
    const { c, product } = await atConfirmation(true);
    const stockBefore = await stockOf(product);
    const placed = await finalPost(c, true);
    expect(placed.body.context_list[0].page_name).toBe('ThankYouPage');
    const [order] = await db.getRepository(OrderEntity).find({ where: { userId: c.userId }, order: { id: 'DESC' } });
    // As if the void after a refused store-credit payment had failed: charged, paid, and kept for staff.
    await db.query(`UPDATE orders SET status = 'payment_review', review_reason = 'void failed' WHERE id = $1`, [
      order.id,
    ]);
    const before = await backOffice('GET', `orders/${order.id}/`);
    expect(before.body.payment.card_charge).toMatchObject({ status: 'approved', amount: '50.00', gateway: 'sandbox' });
    const cancelled = await backOffice('POST', `orders/${order.id}/settle/`, {
      action: 'cancel',
      reason: 'Customer asked to cancel',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.payment.card_charge.status).toBe('voided');
    expect((await gatewayOf(app).stats(order.number)).voided).toBe(true);
    expect(cancelled.body.loyalty_transactions.map((x: { kind: string }) => x.kind)).toEqual([
      'order_payment',
      'refund',
    ]);
    expect(await stockOf(product)).toBe(stockBefore);
    expect(await app.app.get(LedgerQueryService).checkInvariants(CH)).toEqual([]);
  });
});
