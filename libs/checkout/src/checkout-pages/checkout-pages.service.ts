import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AppError,
  formatAmount,
  type MessageArgs,
  type MessageKey,
  type MinorUnits,
  NotFoundError,
  parseAmount,
  PageQueryDto,
  Translator,
} from '@app/common';
import { SessionService, type StorefrontRequestContext } from '@app/identity';
import { LedgerQueryService, LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import type {
  CheckoutFormDto,
  CheckoutPageContextDto,
  CheckoutResponseDto,
  CompletedOrderResponseDto,
} from '../dtos/checkout.dto';
import type { BasketEnvelopeResponseDto } from '../dtos/basket.dto';
import { ADDRESSES_MAX, type AddressResponseDto } from '../dtos/address.dto';
import { BasketItemEntity } from '../entities/basket-item.entity';
import { BasketEntity } from '../entities/basket.entity';
import { OrderEntity, type OrderItemSnapshot } from '../entities/order.entity';
import { InsufficientStockError } from '../errors';
import { newOrderNumber } from '../orders/order-number';
import { toOrderResponse } from '../orders/order.mapper';
import { AddressService } from '../services/address.service';
import { BasketService } from '../services/basket.service';
import { completionGate } from './completion-gate';
import { OrderTokens } from './order-token';

/** The session data key of the checkout's state. */
export const CHECKOUT_SESSION_KEY = 'checkout';
const TEMPLATE_NAME = 'orders/checkout.html';
/** pg_advisory_lock's first key: the checkout's namespace ("CHKO"); the second is the user id. */
const CHECKOUT_LOCK_NAMESPACE = 0x43484b4f;
const FIELD_TEXT_MAX = 32;

export const CHECKOUT_PAGES = [
  'DeliveryOptionSelectionPage',
  'AddressSelectionPage',
  'ShippingOptionSelectionPage',
  'PaymentOptionSelectionPage',
  'LoyaltyMoneyUsagePage',
  'LoyaltyPaymentSelectedPage',
  'LoyaltyMoneyPage',
  'BinNumberPage',
  'InstallmentSelectionPage',
  'CreditCardConfirmationPage',
] as const;
type PageName = (typeof CHECKOUT_PAGES)[number] | 'EmptyPage' | 'ThankYouPage';
const CARD_PAGES: readonly string[] = ['BinNumberPage', 'InstallmentSelectionPage', 'CreditCardConfirmationPage'];

const DELIVERY_OPTIONS = [{ pk: 1, name: 'Delivery to address', delivery_option_type: 'customer' }];
const SHIPPING_OPTIONS = [{ pk: 1, name: 'Standard shipping', shipping_amount: formatAmount(0n) }];
const SHIPPING_AMOUNTS: Readonly<Record<number, MinorUnits>> = { 1: 0n };
const CREDIT_CARD = {
  pk: 1,
  name: 'Credit card',
  slug: 'credit_card',
  payment_type: 'credit_card',
  payment_type_label: 'Credit Card',
};
const LOYALTY_MONEY = {
  pk: 2,
  name: 'Loyalty money',
  slug: 'loyalty_money',
  payment_type: 'loyalty_money',
  payment_type_label: 'Loyalty Money',
};
const PAYMENT_OPTIONS = [CREDIT_CARD, LOYALTY_MONEY];

/** What the session remembers of the checkout. Amounts are decimal strings (JSON has no bigint). */
interface CheckoutState {
  delivery_option?: number;
  shipping_address?: number;
  billing_address?: number;
  shipping_option?: number;
  payment_option?: number;
  loyalty_money?: string;
  /** Set once an order was placed: the last page then answers its thank-you page again. */
  completed_order?: string;
}

interface Priced {
  envelope: BasketEnvelopeResponseDto;
  total: MinorUnits;
  loyalty: MinorUnits;
}

/** A page's validation problem: answered with HTTP 200 and `errors`, as the storefront client requires. */
class PageError extends Error {
  constructor(readonly errors: Record<string, unknown>) {
    super('checkout page error');
  }
}

/**
 * The checkout pages (`/orders/checkout/?page=...`) of a signed-in customer, state kept in the session. Card
 * payment is not offered yet: only an order paid entirely with loyalty money (store credit) can be placed.
 */
@Injectable()
export class CheckoutPagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly baskets: BasketService,
    private readonly addresses: AddressService,
    private readonly ledger: LedgerService,
    private readonly queries: LedgerQueryService,
    private readonly settings: DynamicSettingsService,
    private readonly tokens: OrderTokens,
    private readonly translator: Translator,
  ) {}

  async get(ctx: StorefrontRequestContext, page: unknown): Promise<CheckoutResponseDto> {
    return this.answer(ctx, async () => {
      const name = this.pageName(ctx, page);
      if (name === undefined) return this.nextPage(ctx);
      if (name === 'LoyaltyMoneyUsagePage') return this.loyaltyUsageContext(ctx);
      if (CARD_PAGES.includes(name)) throw this.nonField(ctx, 'checkout.card_unavailable');
      return this.pageContext(ctx, name);
    });
  }

  async post(ctx: StorefrontRequestContext, page: unknown, form: CheckoutFormDto): Promise<CheckoutResponseDto> {
    return this.answer(ctx, async () => {
      const name = this.pageName(ctx, page) ?? 'DeliveryOptionSelectionPage';
      if (name === 'LoyaltyPaymentSelectedPage' || name === 'LoyaltyMoneyPage') {
        return completionGate(this.dataSource).run(() => this.complete(ctx, form));
      }
      const user = this.requireUser(ctx);
      // A new checkout after a placed order: the old thank-you page is no longer the answer to the last page.
      const state: CheckoutState = { ...this.state(ctx), completed_order: undefined };
      switch (name) {
        case 'DeliveryOptionSelectionPage': {
          await this.requireBasket(ctx);
          const pk = this.choice(ctx, form.delivery_option, 'delivery_option', DELIVERY_OPTIONS);
          await this.save(ctx, { ...state, delivery_option: pk });
          return this.pageContext(ctx, 'AddressSelectionPage');
        }
        case 'AddressSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option);
          const shipping = await this.addressPk(ctx, form.shipping_address, 'shipping_address');
          const billing = await this.addressPk(ctx, form.billing_address, 'billing_address');
          await this.save(ctx, { ...state, shipping_address: shipping, billing_address: billing });
          return this.pageContext(ctx, 'ShippingOptionSelectionPage');
        }
        case 'ShippingOptionSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address);
          const pk = this.choice(ctx, form.shipping_option, 'shipping_option', SHIPPING_OPTIONS);
          await this.save(ctx, { ...state, shipping_option: pk });
          return this.pageContext(ctx, 'PaymentOptionSelectionPage');
        }
        case 'PaymentOptionSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          const pk = this.choice(ctx, form.payment_option, 'payment_option', await this.paymentOptions(ctx));
          await this.save(ctx, { ...state, payment_option: pk });
          return this.pageContext(ctx, pk === LOYALTY_MONEY.pk ? 'LoyaltyPaymentSelectedPage' : 'BinNumberPage');
        }
        case 'LoyaltyMoneyUsagePage': {
          const { total } = await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          await this.requireLoyaltyEnabled(ctx);
          const amount = this.loyaltyAmount(ctx, form.loyalty_amount_to_use);
          const balance = await this.balance(ctx, user.id);
          if (amount > balance) {
            throw this.field(ctx, 'loyalty_amount_to_use', 'checkout.loyalty_exceeds_balance', {
              max: formatAmount(balance),
            });
          }
          if (amount > total) {
            throw this.field(ctx, 'loyalty_amount_to_use', 'checkout.loyalty_exceeds_total', {
              max: formatAmount(total),
            });
          }
          await this.save(ctx, { ...state, loyalty_money: formatAmount(amount) });
          return [{ page_name: 'EmptyPage', page_slug: 'emptypage', page_context: {} }];
        }
        case 'BinNumberPage':
        case 'InstallmentSelectionPage':
        case 'CreditCardConfirmationPage':
          throw this.nonField(ctx, 'checkout.card_unavailable');
      }
    });
  }

  /** The thank-you page's order, by its signed token; an unknown or forged token is not found. */
  async completed(ctx: StorefrontRequestContext, token: string): Promise<CompletedOrderResponseDto> {
    const number = this.tokens.verify(ctx.channel.id, token);
    const order =
      number === null
        ? null
        : await this.dataSource.getRepository(OrderEntity).findOne({ where: { channelId: ctx.channel.id, number } });
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
    return { order: toOrderResponse(order) };
  }

  /**
   * Places the order of the final loyalty page, once: a per-user advisory lock serialises the posts, and a post
   * after the order was placed (the session remembers it) answers the same thank-you page.
   */
  private async complete(ctx: StorefrontRequestContext, form: CheckoutFormDto): Promise<CheckoutPageContextDto[]> {
    const user = this.requireUser(ctx);
    if (!['true', '1', 'on'].includes(this.text(form.agreement) ?? '')) {
      throw this.field(ctx, 'agreement', 'checkout.agreement_required');
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1, $2)', [CHECKOUT_LOCK_NAMESPACE, user.id]);
      try {
        // Another post may have placed the order while this one waited: read the session afresh.
        if (ctx.session.id) {
          const fresh = await this.sessions.load(ctx.session.id, ctx.channel.id);
          ctx.session.data = fresh.data;
        }
        const state = this.state(ctx);
        if (state.completed_order && state.payment_option === undefined) {
          const done = await this.dataSource
            .getRepository(OrderEntity)
            .findOne({ where: { channelId: ctx.channel.id, number: state.completed_order } });
          if (done?.status === 'completed') return this.thankYou(ctx, done);
        }
        return await this.placeOrder(ctx, user.id, state);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, $2)', [CHECKOUT_LOCK_NAMESPACE, user.id]);
      }
    } finally {
      await runner.release();
    }
  }

  private async placeOrder(
    ctx: StorefrontRequestContext,
    userId: number,
    state: CheckoutState,
  ): Promise<CheckoutPageContextDto[]> {
    const { envelope, total, loyalty } = await this.requireBasket(ctx);
    this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
    await this.requireLoyaltyEnabled(ctx);
    if (state.payment_option !== LOYALTY_MONEY.pk) {
      throw this.field(ctx, 'payment_option', 'validation.invalid');
    }
    if (total === 0n || loyalty !== total) {
      throw this.nonField(ctx, 'checkout.loyalty_not_covering', { amount: formatAmount(total - loyalty) });
    }
    const basketId = envelope.basket.pk!;
    const order = await this.dataSource.transaction((m) => this.createOrder(m, ctx, userId, basketId, total));
    try {
      await this.ledger.payOrder(ctx.channel.id, { order_number: order.number, amount_minor: total });
    } catch (error) {
      await this.dataSource.transaction((m) => this.cancelOrder(m, order, basketId));
      // The final page has no amount field: a refused payment (funds spent meanwhile, ...) is the page's error.
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      const first = Object.values(error.fieldErrors ?? {})[0]?.[0];
      throw this.nonField(ctx, first?.key ?? error.messageKey, first ? first.args : error.args);
    }
    await this.dataSource.getRepository(OrderEntity).update({ id: order.id }, { status: 'completed' });
    order.status = 'completed';
    await this.save(ctx, { completed_order: order.number });
    return this.thankYou(ctx, order);
  }

  /** The pending order, with the basket's stock taken and the basket emptied, in one transaction. */
  private async createOrder(
    m: EntityManager,
    ctx: StorefrontRequestContext,
    userId: number,
    basketId: number,
    expectedTotal: MinorUnits,
  ): Promise<OrderEntity> {
    await m.getRepository(BasketEntity).findOne({ where: { id: basketId }, lock: { mode: 'pessimistic_write' } });
    const items = await m.getRepository(BasketItemEntity).find({
      where: { basketId },
      relations: { product: { prices: true } },
      order: { id: 'ASC' },
    });
    const snapshot: OrderItemSnapshot[] = [];
    let total: MinorUnits = 0n;
    for (const item of items) {
      const product = item.product;
      const price = product?.prices?.find((p) => p.currency === ctx.currency);
      if (!product?.active || !price) continue;
      const lineTotal = price.amount * BigInt(item.quantity);
      total += lineTotal;
      const taken: unknown[] = await m.query(
        `UPDATE "product" SET "stock" = "stock" - $1 WHERE "id" = $2 AND "stock" >= $1 RETURNING "id"`,
        [item.quantity, product.id],
      );
      if (!Array.isArray(taken) || taken.length === 0 || (Array.isArray(taken[0]) && taken[0].length === 0)) {
        throw new InsufficientStockError(product.stock);
      }
      snapshot.push({
        product: product.id,
        sku: product.sku,
        name: product.name,
        quantity: item.quantity,
        unit_price: formatAmount(price.amount),
        total_amount: formatAmount(lineTotal),
      });
    }
    // The basket changed between the pricing and the lock: let the customer look again.
    if (snapshot.length === 0 || total !== expectedTotal) throw this.nonField(ctx, 'checkout.step_missing');
    const order = await m.getRepository(OrderEntity).save(
      m.getRepository(OrderEntity).create({
        number: newOrderNumber(),
        channelId: ctx.channel.id,
        userId,
        currency: ctx.currency,
        items: snapshot,
        totalAmount: total,
        loyaltyAmount: total,
        cardAmount: 0n,
        status: 'pending',
        paymentOption: LOYALTY_MONEY.slug,
      }),
    );
    await m.getRepository(BasketItemEntity).delete({ basketId });
    return order;
  }

  /** Undoes a pending order whose payment failed: stock and basket lines come back. */
  private async cancelOrder(m: EntityManager, order: OrderEntity, basketId: number): Promise<void> {
    await m.getRepository(OrderEntity).update({ id: order.id }, { status: 'cancelled' });
    for (const item of order.items) {
      await m.query(`UPDATE "product" SET "stock" = "stock" + $1 WHERE "id" = $2`, [item.quantity, item.product]);
      await m.query(
        `INSERT INTO "basket_item" ("basket_id", "product_id", "quantity", "attributes") VALUES ($1, $2, $3, '{}')
          ON CONFLICT ("basket_id", "product_id") DO NOTHING`,
        [basketId, item.product, item.quantity],
      );
    }
  }

  private thankYou(ctx: StorefrontRequestContext, order: OrderEntity): CheckoutPageContextDto[] {
    const token = this.tokens.sign(ctx.channel.id, order.number);
    return [
      {
        page_name: 'ThankYouPage',
        page_slug: 'thankyoupage',
        page_context: {
          redirect_url: `/orders/completed/${token}/`,
          order_id: order.id,
          new_user: false,
          token,
          campaigns: [],
        },
      },
    ];
  }

  /** Runs a page and wraps its result (or its validation errors) in the checkout's HTTP 200 envelope. */
  private async answer(
    ctx: StorefrontRequestContext,
    page: () => Promise<CheckoutPageContextDto[]>,
  ): Promise<CheckoutResponseDto> {
    let contextList: CheckoutPageContextDto[] = [];
    let errors: Record<string, unknown> | null = null;
    try {
      contextList = await page();
    } catch (error) {
      if (error instanceof PageError) errors = error.errors;
      else if (error instanceof AppError && error.status < 500) errors = this.fromAppError(ctx, error);
      else throw error;
    }
    return { pre_order: await this.preOrder(ctx), context_list: contextList, template_name: TEMPLATE_NAME, errors };
  }

  private fromAppError(ctx: StorefrontRequestContext, error: AppError): Record<string, unknown> {
    if (!error.fieldErrors)
      return { non_field_errors: this.translator.translate(error.messageKey, ctx.language, error.args) };
    return Object.fromEntries(
      Object.entries(error.fieldErrors).map(([field, messages]) => [
        field,
        messages.map((m) => this.translator.translate(m.key, ctx.language, m.args)),
      ]),
    );
  }

  private async preOrder(ctx: StorefrontRequestContext): Promise<Record<string, unknown>> {
    const state = this.state(ctx);
    const { envelope, total, loyalty } = await this.priced(ctx);
    const address = async (pk: number | undefined): Promise<AddressResponseDto | null> =>
      pk === undefined || !ctx.user ? null : this.addresses.get(ctx, pk).catch(() => null);
    const shippingAmount = state.shipping_option === undefined ? 0n : (SHIPPING_AMOUNTS[state.shipping_option] ?? 0n);
    return {
      basket: envelope.basket,
      delivery_option: DELIVERY_OPTIONS.find((o) => o.pk === state.delivery_option) ?? null,
      shipping_address: await address(state.shipping_address),
      billing_address: await address(state.billing_address),
      shipping_option: SHIPPING_OPTIONS.find((o) => o.pk === state.shipping_option) ?? null,
      shipping_amount: formatAmount(shippingAmount),
      payment_option: PAYMENT_OPTIONS.find((o) => o.pk === state.payment_option) ?? null,
      installment: null,
      total_amount: formatAmount(total),
      total_amount_with_interest: formatAmount(total),
      unpaid_amount: formatAmount(total - loyalty),
      loyalty_money: formatAmount(loyalty),
      currency_type_label: ctx.currency.toUpperCase(),
      is_guest: !ctx.user,
      is_redirected: false,
    };
  }

  /** The basket priced in the request's currency, and the loyalty money chosen (never above the total). */
  private async priced(ctx: StorefrontRequestContext): Promise<Priced> {
    const envelope = await this.baskets.get(ctx);
    const parsed = parseAmount(envelope.basket.total_amount);
    const basketTotal = parsed.ok ? parsed.minor : 0n;
    const state = this.state(ctx);
    const shipping = state.shipping_option === undefined ? 0n : (SHIPPING_AMOUNTS[state.shipping_option] ?? 0n);
    const total = basketTotal + shipping;
    const chosen = parseAmount(state.loyalty_money ?? '0');
    const loyalty = chosen.ok && chosen.minor > 0n ? (chosen.minor < total ? chosen.minor : total) : 0n;
    return { envelope, total, loyalty };
  }

  /** Without a page: the first step still missing. */
  private async nextPage(ctx: StorefrontRequestContext): Promise<CheckoutPageContextDto[]> {
    const state = this.state(ctx);
    if (state.delivery_option === undefined) return this.pageContext(ctx, 'DeliveryOptionSelectionPage');
    if (state.shipping_address === undefined) return this.pageContext(ctx, 'AddressSelectionPage');
    if (state.shipping_option === undefined) return this.pageContext(ctx, 'ShippingOptionSelectionPage');
    return this.pageContext(ctx, 'PaymentOptionSelectionPage');
  }

  private async pageContext(ctx: StorefrontRequestContext, name: PageName): Promise<CheckoutPageContextDto[]> {
    let context: Record<string, unknown> = {};
    if (name === 'DeliveryOptionSelectionPage') context = { delivery_options: DELIVERY_OPTIONS };
    if (name === 'AddressSelectionPage') context = { addresses: await this.userAddresses(ctx) };
    if (name === 'ShippingOptionSelectionPage') context = { shipping_options: SHIPPING_OPTIONS };
    if (name === 'PaymentOptionSelectionPage') context = { payment_options: await this.paymentOptions(ctx) };
    return [{ page_name: name, page_slug: name.toLowerCase(), page_context: context }];
  }

  private async loyaltyUsageContext(ctx: StorefrontRequestContext): Promise<CheckoutPageContextDto[]> {
    const user = this.requireUser(ctx);
    await this.requireLoyaltyEnabled(ctx);
    const balance = await this.balance(ctx, user.id);
    return [
      {
        page_name: 'LoyaltyMoneyUsagePage',
        page_slug: 'loyaltymoneyusagepage',
        page_context: { balance: formatAmount(balance) },
      },
    ];
  }

  private async userAddresses(ctx: StorefrontRequestContext): Promise<AddressResponseDto[]> {
    if (!ctx.user) return [];
    const query = Object.assign(new PageQueryDto(), { page: 1, page_size: ADDRESSES_MAX });
    const page = await this.addresses.list(ctx, query, new URL('http://localhost/address/'));
    return page.results;
  }

  private async paymentOptions(ctx: StorefrontRequestContext): Promise<(typeof PAYMENT_OPTIONS)[number][]> {
    const enabled = (await this.settings.get(ctx.channel.id)).LOYALTY_MONEY_ENABLED;
    return enabled ? PAYMENT_OPTIONS : [CREDIT_CARD];
  }

  private async balance(ctx: StorefrontRequestContext, userId: number): Promise<MinorUnits> {
    const balance = await this.queries.userBalance(ctx.channel.id, userId, ctx.currency);
    return balance > 0n ? balance : 0n;
  }

  private async requireLoyaltyEnabled(ctx: StorefrontRequestContext): Promise<void> {
    if (!(await this.settings.get(ctx.channel.id)).LOYALTY_MONEY_ENABLED) {
      throw this.nonField(ctx, 'checkout.loyalty_disabled');
    }
  }

  private async requireBasket(ctx: StorefrontRequestContext): Promise<Priced> {
    this.requireUser(ctx);
    const priced = await this.priced(ctx);
    if (priced.envelope.basket.pk === null || priced.envelope.basket.basketitem_set.length === 0) {
      throw this.nonField(ctx, 'checkout.basket_empty');
    }
    return priced;
  }

  private requireUser(ctx: StorefrontRequestContext): NonNullable<StorefrontRequestContext['user']> {
    if (!ctx.user) throw this.nonField(ctx, 'checkout.login_required');
    return ctx.user;
  }

  private requireSteps(ctx: StorefrontRequestContext, ...steps: (number | undefined)[]): void {
    if (steps.some((step) => step === undefined)) throw this.nonField(ctx, 'checkout.step_missing');
  }

  private pageName(ctx: StorefrontRequestContext, page: unknown): (typeof CHECKOUT_PAGES)[number] | undefined {
    if (page === undefined || page === '') return undefined;
    const found = CHECKOUT_PAGES.find((name) => name === page);
    if (!found) throw this.nonField(ctx, 'checkout.unknown_page');
    return found;
  }

  private choice(ctx: StorefrontRequestContext, value: unknown, field: string, options: readonly { pk: number }[]) {
    const text = this.text(value);
    if (text === undefined) throw this.field(ctx, field, 'validation.required');
    const found = options.find((option) => String(option.pk) === text);
    if (!found) throw this.field(ctx, field, 'validation.invalid');
    return found.pk;
  }

  private async addressPk(ctx: StorefrontRequestContext, value: unknown, field: string): Promise<number> {
    const text = this.text(value);
    if (text === undefined) throw this.field(ctx, field, 'validation.required');
    const pk = /^[1-9][0-9]{0,9}$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(pk) || pk > 2_147_483_647) throw this.field(ctx, field, 'validation.invalid');
    const found = await this.addresses.get(ctx, pk).catch(() => null);
    if (!found) throw this.field(ctx, field, 'validation.invalid');
    return pk;
  }

  private loyaltyAmount(ctx: StorefrontRequestContext, value: unknown): MinorUnits {
    const text = this.text(value);
    if (text === undefined) throw this.field(ctx, 'loyalty_amount_to_use', 'validation.required');
    const parsed = parseAmount(text);
    if (!parsed.ok || parsed.minor <= 0n) {
      throw this.field(ctx, 'loyalty_amount_to_use', 'checkout.loyalty_amount_invalid');
    }
    return parsed.minor;
  }

  /** A form field as one short string; lists (a repeated field) and long values are not accepted. */
  private text(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' || trimmed.length > FIELD_TEXT_MAX ? undefined : trimmed;
  }

  private state(ctx: StorefrontRequestContext): CheckoutState {
    const value = ctx.session.get(CHECKOUT_SESSION_KEY);
    return value !== null && typeof value === 'object' ? value : {};
  }

  private save(ctx: StorefrontRequestContext, state: CheckoutState): Promise<void> {
    return this.sessions.set(ctx.session, ctx.channel.id, CHECKOUT_SESSION_KEY, state);
  }

  private field(ctx: StorefrontRequestContext, field: string, key: MessageKey, args?: MessageArgs): PageError {
    return new PageError({ [field]: [this.translator.translate(key, ctx.language, args)] });
  }

  private nonField(ctx: StorefrontRequestContext, key: MessageKey, args?: MessageArgs): PageError {
    return new PageError({ non_field_errors: this.translator.translate(key, ctx.language, args) });
  }
}
