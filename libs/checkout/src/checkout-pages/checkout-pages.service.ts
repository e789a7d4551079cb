import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  AppConfig,
  AppError,
  Clock,
  formatAmount,
  idFromText,
  type MessageArgs,
  type MessageKey,
  type MinorUnits,
  NotFoundError,
  parseAmount,
  PageQueryDto,
  Translator,
} from '@app/common';
import { Leases } from '@app/database';
import { SessionService, type StorefrontRequestContext } from '@app/identity';
import { LedgerQueryService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import type { CardDetails, CardProblem, DeclineReason } from '../payments/card-gateway';
import { CardPaymentService } from '../payments/card-payment.service';
import {
  CARD_TYPE_NAMES,
  cardTypeOf,
  type InstallmentCount,
  type InstallmentPrice,
  normaliseCardNumber,
} from '../payments/card-rules';
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
import { IN_FLIGHT_STATUSES, OrderEntity, type OrderItemSnapshot } from '../entities/order.entity';
import { OrderPlacement, type PlacementOutcome } from '../orders/order-placement.service';
import { placementLeaseName, RecoveryConfig } from '../orders/order-recovery.worker';
import { AddressNotFoundError, InsufficientStockError } from '../errors';
import { newOrderNumber } from '../orders/order-number';
import { toOrderResponse } from '../orders/order.mapper';
import { AddressService } from '../services/address.service';
import { BasketService } from '../services/basket.service';
import { completionGate } from './completion-gate';
import { OrderTokens } from './order-token';
import { CREDIT_CARD, LOYALTY_MONEY, PAYMENT_OPTIONS, type PaymentOption } from './payment-options';

/** The session data key of the checkout's state. */
export const CHECKOUT_SESSION_KEY = 'checkout';
const TEMPLATE_NAME = 'orders/checkout.html';
/** A final post waits this long for an earlier one of the same customer before it answers "busy". */
const PLACEMENT_WAIT_MS = 10_000;
/** An empty-basket final post this soon after an order the same session placed is that order's repeat. */
const REPEAT_WINDOW_MS = 15 * 60_000;

/** Store credit pays the whole of a non-empty order. */
function covers(total: MinorUnits, loyalty: MinorUnits): boolean {
  return total > 0n && loyalty >= total;
}

function sessionHash(ctx: StorefrontRequestContext): string | null {
  return ctx.session.id ? createHash('sha256').update(ctx.session.id).digest('hex') : null;
}
const FIELD_TEXT_MAX = 32;
/** The card holder's name: longer than any printed on a card, short enough to bound the request. */
const CARD_HOLDER_MAX = 64;
/** What the confirmation page's `use_three_d` and `agreement` may be when set (the client drops falsy fields). */
const TRUTHY = ['true', '1', 'on'];

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

/** What the session remembers of the checkout. Amounts are decimal strings (JSON has no bigint). */
interface CheckoutState {
  delivery_option?: number;
  shipping_address?: number;
  billing_address?: number;
  shipping_option?: number;
  payment_option?: number;
  loyalty_money?: string;
  /** The installment count chosen on InstallmentSelectionPage (1 until chosen). */
  installment?: number;
  /** Set once an order was placed: the last page then answers its thank-you page again. */
  completed_order?: string;
}

interface Priced {
  envelope: BasketEnvelopeResponseDto;
  total: MinorUnits;
  loyalty: MinorUnits;
}

interface OrderAddresses {
  shipping: AddressResponseDto;
  billing: AddressResponseDto;
}

/** How an order's total is paid, as the order records it. */
interface PaymentSplit {
  loyaltyAmount: MinorUnits;
  cardAmount: MinorUnits;
  interestAmount: MinorUnits;
  installmentCount: number;
  cardLast4: string | null;
  cardType: string | null;
  paymentOption: string;
}

const DECLINE_MESSAGES: Readonly<Record<DeclineReason, MessageKey>> = {
  declined: 'checkout.card_declined',
  insufficient_funds: 'checkout.card_insufficient_funds',
  three_d_required: 'checkout.card_three_d_required',
};

const CARD_PROBLEM_MESSAGES: Readonly<Record<CardProblem['problem'], MessageKey>> = {
  invalid: 'checkout.card_number_invalid',
  unsupported: 'checkout.card_unsupported',
  expired: 'checkout.card_expired',
  required: 'validation.required',
};

/** A page's validation problem: answered with HTTP 200 and `errors`, as the storefront client requires. */
class PageError extends Error {
  constructor(
    readonly errors: Record<string, unknown>,
    /** The message key of a one-message error, for callers that react to a particular problem. */
    readonly key?: MessageKey,
  ) {
    super('checkout page error');
  }
}

/**
 * The checkout pages (`/orders/checkout/?page=...`) of a signed-in customer, state kept in the session. An order is
 * paid entirely with loyalty money (store credit), or by card for what loyalty money leaves unpaid.
 */
@Injectable()
export class CheckoutPagesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly baskets: BasketService,
    private readonly addresses: AddressService,
    private readonly queries: LedgerQueryService,
    private readonly settings: DynamicSettingsService,
    private readonly tokens: OrderTokens,
    private readonly translator: Translator,
    private readonly payments: CardPaymentService,
    private readonly placement: OrderPlacement,
    private readonly leases: Leases,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    // Long enough for a placement (the gateway's own timeout bounds its call), and renewed while it runs.
    this.placementLeaseMs = new RecoveryConfig(config.env).placementLeaseMs;
  }

  private readonly placementLeaseMs: number;

  async get(ctx: StorefrontRequestContext, page: unknown): Promise<CheckoutResponseDto> {
    return this.answer(ctx, async () => {
      const name = this.pageName(ctx, page);
      if (name === undefined) return this.nextPage(ctx);
      if (name === 'LoyaltyMoneyUsagePage') return this.loyaltyUsageContext(ctx);
      if (CARD_PAGES.includes(name)) {
        const { total, loyalty } = await this.requireBasket(ctx);
        this.requireCardPayable(ctx, this.state(ctx), total, loyalty);
      }
      return this.pageContext(ctx, name);
    });
  }

  async post(ctx: StorefrontRequestContext, page: unknown, form: CheckoutFormDto): Promise<CheckoutResponseDto> {
    return this.answer(ctx, async () => {
      const name = this.pageName(ctx, page) ?? 'DeliveryOptionSelectionPage';
      if (name === 'LoyaltyPaymentSelectedPage' || name === 'LoyaltyMoneyPage') {
        return completionGate(this.dataSource).run(() => this.complete(ctx, form, false));
      }
      if (name === 'CreditCardConfirmationPage') {
        return completionGate(this.dataSource).run(() => this.complete(ctx, form, true));
      }
      const user = this.requireUser(ctx);
      const state = this.state(ctx);
      switch (name) {
        case 'DeliveryOptionSelectionPage': {
          await this.requireBasket(ctx);
          const pk = this.choice(ctx, form.delivery_option, 'delivery_option', DELIVERY_OPTIONS);
          await this.save(ctx, { delivery_option: pk });
          return this.pageContext(ctx, 'AddressSelectionPage');
        }
        case 'AddressSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option);
          const shipping = await this.addressPk(ctx, form.shipping_address, 'shipping_address');
          const billing = await this.addressPk(ctx, form.billing_address, 'billing_address');
          await this.save(ctx, { shipping_address: shipping, billing_address: billing });
          return this.pageContext(ctx, 'ShippingOptionSelectionPage');
        }
        case 'ShippingOptionSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address);
          const pk = this.choice(ctx, form.shipping_option, 'shipping_option', SHIPPING_OPTIONS);
          await this.save(ctx, { shipping_option: pk });
          return this.pageContext(ctx, 'PaymentOptionSelectionPage');
        }
        case 'PaymentOptionSelectionPage': {
          await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          const pk = this.choice(ctx, form.payment_option, 'payment_option', await this.paymentOptions(ctx));
          await this.save(ctx, { payment_option: pk });
          if (pk === CREDIT_CARD.pk) return this.pageContext(ctx, 'BinNumberPage');
          // The final page works only once store credit covers the order: until then, the page that sets its amount.
          const { total, loyalty } = await this.priced(ctx);
          if (!covers(total, loyalty)) return this.loyaltyUsageContext(ctx);
          return this.pageContext(ctx, 'LoyaltyPaymentSelectedPage');
        }
        case 'LoyaltyMoneyUsagePage': {
          const { total } = await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          await this.requireLoyaltyEnabled(ctx);
          const amount = this.loyaltyAmount(ctx, form.loyalty_amount_to_use);
          const balance = await this.balance(ctx, user.id);
          // One limit, one message: the smaller of the balance and the order total.
          const max = balance < total ? balance : total;
          if (amount > max) {
            throw this.field(ctx, 'loyalty_amount_to_use', 'checkout.loyalty_exceeds_balance', {
              max: formatAmount(max),
            });
          }
          // Store credit covering the order leaves nothing for a card: a chosen card is cleared, the client picks again.
          const clearCard = covers(total, amount) && state.payment_option === CREDIT_CARD.pk;
          await this.save(ctx, {
            loyalty_money: formatAmount(amount),
            ...(clearCard ? { payment_option: undefined, installment: undefined } : {}),
          });
          return [{ page_name: 'EmptyPage', page_slug: 'emptypage', page_context: {} }];
        }
        case 'BinNumberPage': {
          const { total, loyalty } = await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          this.requireCardPayable(ctx, state, total, loyalty);
          const bin = normaliseCardNumber(this.text(form.bin_number) ?? '');
          const type = /^[0-9]{6,8}$/.test(bin) ? cardTypeOf(bin) : undefined;
          if (!type) throw this.field(ctx, 'bin_number', 'checkout.bin_invalid');
          return [
            {
              page_name: 'InstallmentSelectionPage',
              page_slug: 'installmentselectionpage',
              page_context: {
                card_type: { slug: type, name: CARD_TYPE_NAMES[type], logo: null },
                installments: this.installmentOptions(total - loyalty),
              },
            },
          ];
        }
        case 'InstallmentSelectionPage': {
          const { total, loyalty } = await this.requireBasket(ctx);
          this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
          this.requireCardPayable(ctx, state, total, loyalty);
          const pk = this.choice(ctx, form.installment, 'installment', this.installmentOptions(total - loyalty));
          await this.save(ctx, { installment: pk });
          return this.pageContext(ctx, 'CreditCardConfirmationPage');
        }
      }
    });
  }

  /**
   * The thank-you page's order, by its signed token, for the caller who placed it; an unknown or forged token, and
   * anyone else's order, is not found. The token proves the number is ours, not that the caller may see it.
   */
  async completed(ctx: StorefrontRequestContext, token: string): Promise<CompletedOrderResponseDto> {
    const number = this.tokens.verify(ctx.channel.id, token);
    const order = number === null ? null : await this.placedByCaller(ctx, number);
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
    return { order: toOrderResponse(order) };
  }

  /**
   * An order of the channel by number, when the caller placed it: the signed-in user it belongs to. (The rule is
   * "its owner or the session that placed it"; checkout is for signed-in users only and every order has an owner,
   * so the session that placed one is always signed in as its owner until the session ends or another user signs
   * in on it, and then it is no longer that session. A guest checkout would have to record its session here.)
   */
  private placedByCaller(ctx: StorefrontRequestContext, number: string): Promise<OrderEntity | null> {
    if (!ctx.user) return Promise.resolve(null);
    return this.dataSource
      .getRepository(OrderEntity)
      .findOne({ where: { channelId: ctx.channel.id, number, userId: ctx.user.id } });
  }

  /**
   * Places the order of a final page (loyalty money, or card when `byCard`), once. A customer's final posts are
   * serialised by the placement lease (`checkout:user:<id>`, in PostgreSQL: no connection is held while it is, nor
   * across the card gateway's call), shared with the recovery worker. Inside it, nothing new is charged while an
   * order of this customer is still in an intermediate state: the post answers that order's state. A repeat of a
   * completed placement (the session remembers it, or the basket is empty right after one) answers its thank-you
   * page.
   */
  private async complete(
    ctx: StorefrontRequestContext,
    form: CheckoutFormDto,
    byCard: boolean,
  ): Promise<CheckoutPageContextDto[]> {
    const user = this.requireUser(ctx);
    if (!TRUTHY.includes(this.text(form.agreement)?.toLowerCase() ?? '')) {
      throw this.field(ctx, 'agreement', 'checkout.agreement_required');
    }
    const card = byCard ? this.cardOf(ctx, form) : null;
    const held = await this.leases.withLease(
      placementLeaseName(user.id),
      { ttlMs: this.placementLeaseMs, waitMs: PLACEMENT_WAIT_MS },
      async () => {
        // Another post may have placed the order while this one waited: read the session afresh.
        if (ctx.session.id) {
          const fresh = await this.sessions.load(ctx.session.id, ctx.channel.id);
          ctx.session.data = fresh.data;
        }
        const state = this.state(ctx);
        const latest = await this.dataSource
          .getRepository(OrderEntity)
          .findOne({ where: { channelId: ctx.channel.id, userId: user.id }, order: { id: 'DESC' } });
        if (latest && (IN_FLIGHT_STATUSES as readonly string[]).includes(latest.status)) {
          // A placement cut short by an outage (its post answered 503) is finished by the client's retry when
          // nothing outside is in doubt; a card charge in doubt waits for the recovery worker.
          const resumed = await this.placement.resume(latest);
          if (resumed) return this.answerPlacement(ctx, resumed);
          throw this.nonField(ctx, 'checkout.payment_in_progress', { number: latest.number });
        }
        if (state.completed_order && state.payment_option === undefined) {
          const done = await this.placedByCaller(ctx, state.completed_order);
          if (done?.status === 'completed') return this.thankYou(ctx, done);
        }
        try {
          return card
            ? await this.placeCardOrder(ctx, user.id, state, card.details, card.threeD)
            : await this.placeOrder(ctx, user.id, state);
        } catch (error) {
          // The session may have lost the record of a placement that completed (its write failed with the
          // connection): an empty basket right after an order this session placed is that order's repeat.
          const repeat =
            latest !== null &&
            latest.placedSession !== null &&
            latest.placedSession === sessionHash(ctx) &&
            this.clock.nowMs() - latest.createdDate.getTime() < REPEAT_WINDOW_MS;
          if (error instanceof PageError && error.key === 'checkout.basket_empty' && repeat) {
            if (latest.status === 'completed') return this.thankYou(ctx, latest);
            if (latest.status === 'payment_review') {
              throw this.nonField(ctx, 'checkout.payment_review', { number: latest.number });
            }
          }
          throw error;
        }
      },
    );
    if (!held) throw this.nonField(ctx, 'checkout.placement_busy');
    return held.value;
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
    const addresses = await this.orderAddresses(ctx, state);
    const basketId = envelope.basket.pk!;
    const split: PaymentSplit = {
      loyaltyAmount: total,
      cardAmount: 0n,
      interestAmount: 0n,
      installmentCount: 1,
      cardLast4: null,
      cardType: null,
      paymentOption: LOYALTY_MONEY.slug,
    };
    const order = await this.dataSource.transaction((m) =>
      this.createOrder(m, ctx, userId, basketId, total, split, addresses),
    );
    return this.answerPlacement(ctx, await this.placement.payByStoreCredit(order));
  }

  /**
   * The card order: loyalty money (if any) for its part, the card for the rest plus installment interest.
   *
   * The card is charged first and the store credit second, because a decline, by far the commonest failure, then
   * touches nothing in the ledger: the customer's store credit is never spent and given back. The rarer failure of
   * the loyalty payment after an approved charge (the balance was spent elsewhere in the meantime; the balance is
   * checked just before) voids the charge. Either way the order is cancelled and its stock and basket lines come
   * back. An unknown outcome (the gateway did not answer, or the void failed) keeps the order as `payment_review`
   * instead: the bank may hold the money, so nothing is given back to be paid for twice. The steps and their
   * states are OrderPlacement's.
   */
  private async placeCardOrder(
    ctx: StorefrontRequestContext,
    userId: number,
    state: CheckoutState,
    card: CardDetails,
    threeD: boolean,
  ): Promise<CheckoutPageContextDto[]> {
    const { envelope, total, loyalty } = await this.requireBasket(ctx);
    this.requireSteps(ctx, state.delivery_option, state.shipping_address, state.shipping_option);
    this.requireCardPayable(ctx, state, total, loyalty);
    if (loyalty > 0n) {
      await this.requireLoyaltyEnabled(ctx);
      const balance = await this.balance(ctx, userId);
      if (balance < loyalty) {
        throw this.nonField(ctx, 'checkout.loyalty_exceeds_balance', { max: formatAmount(balance) });
      }
    }
    const addresses = await this.orderAddresses(ctx, state);
    const price = this.payments.price(total - loyalty, this.installmentOf(state));
    const split: PaymentSplit = {
      loyaltyAmount: loyalty,
      cardAmount: total - loyalty,
      interestAmount: price.interest,
      installmentCount: price.count,
      cardLast4: card.number.slice(-4),
      cardType: cardTypeOf(card.number) ?? null,
      paymentOption: CREDIT_CARD.slug,
    };
    const basketId = envelope.basket.pk!;
    const order = await this.dataSource.transaction((m) =>
      this.createOrder(m, ctx, userId, basketId, total, split, addresses),
    );
    return this.answerPlacement(ctx, await this.placement.payByCard(order, card, price, threeD));
  }

  /** The final page's answer to how a placement ended. */
  private async answerPlacement(
    ctx: StorefrontRequestContext,
    outcome: PlacementOutcome,
  ): Promise<CheckoutPageContextDto[]> {
    const { order } = outcome;
    switch (outcome.kind) {
      case 'completed':
        // The placed order replaces the checkout's steps; a repeated final post answers its thank-you page.
        await this.sessions.set(ctx.session, ctx.channel.id, CHECKOUT_SESSION_KEY, { completed_order: order.number });
        return this.thankYou(ctx, order);
      case 'declined':
        throw this.nonField(ctx, DECLINE_MESSAGES[outcome.reason]);
      case 'refused':
        throw this.refusedPayment(ctx, outcome.error);
      case 'review':
        throw this.nonField(ctx, 'checkout.payment_review', { number: order.number });
      case 'cancelled':
      case 'moved':
        if (order.status === 'completed') return this.thankYou(ctx, order);
        if (order.status === 'payment_review') {
          throw this.nonField(ctx, 'checkout.payment_review', { number: order.number });
        }
        throw this.nonField(ctx, 'checkout.payment_in_progress', { number: order.number });
    }
  }

  /** A refused loyalty payment as the final page's error: the page has no amount field. */
  private refusedPayment(ctx: StorefrontRequestContext, error: unknown): unknown {
    if (!(error instanceof AppError) || error.status >= 500) return error;
    const first = Object.values(error.fieldErrors ?? {})[0]?.[0];
    return this.nonField(ctx, first?.key ?? error.messageKey, first ? first.args : error.args);
  }

  /** The pending order, with the basket's stock taken and the basket emptied, in one transaction. */
  private async createOrder(
    m: EntityManager,
    ctx: StorefrontRequestContext,
    userId: number,
    basketId: number,
    expectedTotal: MinorUnits,
    split: PaymentSplit,
    addresses: OrderAddresses,
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
        shippingAddress: addresses.shipping,
        billingAddress: addresses.billing,
        totalAmount: total,
        ...split,
        status: 'pending',
        placedSession: sessionHash(ctx),
      }),
    );
    await m.getRepository(BasketItemEntity).delete({ basketId });
    return order;
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
      pk === undefined || !ctx.user
        ? null
        : // An address deleted since it was chosen is null; anything else (a database outage) answers as itself.
          this.addresses.get(ctx, pk).catch((error: unknown) => {
            if (error instanceof AddressNotFoundError) return null;
            throw error;
          });
    const shippingAmount = state.shipping_option === undefined ? 0n : (SHIPPING_AMOUNTS[state.shipping_option] ?? 0n);
    const unpaid = total - loyalty;
    // Null until InstallmentSelectionPage is posted, as the client expects (it auto-posts the step while null).
    const paysByCard = state.payment_option === CREDIT_CARD.pk && unpaid > 0n && state.installment !== undefined;
    const installment = paysByCard ? this.payments.price(unpaid, this.installmentOf(state)) : null;
    return {
      basket: envelope.basket,
      delivery_option: DELIVERY_OPTIONS.find((o) => o.pk === state.delivery_option) ?? null,
      shipping_address: await address(state.shipping_address),
      billing_address: await address(state.billing_address),
      shipping_option: SHIPPING_OPTIONS.find((o) => o.pk === state.shipping_option) ?? null,
      shipping_amount: formatAmount(shippingAmount),
      // A card chosen before store credit came to cover the order is no choice any more (the client picks again).
      payment_option:
        state.payment_option === CREDIT_CARD.pk && covers(total, loyalty)
          ? null
          : (PAYMENT_OPTIONS.find((o) => o.pk === state.payment_option) ?? null),
      installment: installment ? this.installmentOption(installment) : null,
      total_amount: formatAmount(total),
      total_amount_with_interest: formatAmount(total + (installment?.interest ?? 0n)),
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
    if (name === 'InstallmentSelectionPage') {
      const { total, loyalty } = await this.priced(ctx);
      context = { installments: this.installmentOptions(total - loyalty) };
    }
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

  /** The options on offer: no card when store credit covers the whole order (it comes back when lowered). */
  private async paymentOptions(ctx: StorefrontRequestContext): Promise<readonly PaymentOption[]> {
    const enabled = (await this.settings.get(ctx.channel.id)).LOYALTY_MONEY_ENABLED;
    if (!enabled) return [CREDIT_CARD];
    const { total, loyalty } = await this.priced(ctx);
    return covers(total, loyalty) ? [LOYALTY_MONEY] : PAYMENT_OPTIONS;
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

  /** The card pages need the card option chosen and something left unpaid after loyalty money. */
  private requireCardPayable(
    ctx: StorefrontRequestContext,
    state: CheckoutState,
    total: MinorUnits,
    loyalty: MinorUnits,
  ): void {
    const covered = total - loyalty <= 0n;
    // A card cleared because store credit came to cover the order: the reason is the cover, not a missing choice.
    const cleared = covered && state.payment_option === undefined;
    if (state.payment_option !== CREDIT_CARD.pk && !cleared) throw this.nonField(ctx, 'checkout.card_option_required');
    if (covered) throw this.nonField(ctx, 'checkout.card_not_needed');
  }

  private installmentOf(state: CheckoutState): InstallmentCount {
    const count = state.installment ?? 1;
    return this.payments.isInstallmentCount(count) ? count : 1;
  }

  private installmentOptions(amount: MinorUnits) {
    return this.payments.prices(amount).map((price) => this.installmentOption(price));
  }

  /** The contract's InstallmentOption; `pk` is the installment count. */
  private installmentOption(price: InstallmentPrice) {
    return {
      pk: price.count,
      installment_count: price.count,
      label: price.count === 1 ? 'Single payment' : `${price.count} installments`,
      price_with_accrued_interest: formatAmount(price.total),
      monthly_price_with_accrued_interest: formatAmount(price.monthly),
    };
  }

  /**
   * The confirmation page's card, checked field by field (every problem at once, as 200 `errors`). The number is
   * kept in memory only for this request.
   */
  private cardOf(ctx: StorefrontRequestContext, form: CheckoutFormDto): { details: CardDetails; threeD: boolean } {
    const raw = (value: unknown, max: number): string => {
      if (typeof value !== 'string') return '';
      const trimmed = value.trim();
      return trimmed.length > max ? '' : trimmed;
    };
    const details: CardDetails = {
      number: normaliseCardNumber(raw(form.card_number, FIELD_TEXT_MAX)),
      holder: raw(form.card_holder, CARD_HOLDER_MAX),
      month: raw(form.card_month, 2),
      year: raw(form.card_year, 4),
      cvv: raw(form.card_cvv, 4),
    };
    const problems = this.payments.validate(details);
    if (problems.length > 0) {
      const errors: Record<string, string[]> = {};
      for (const { field, problem } of problems) {
        const key = field === 'card_cvv' ? 'checkout.card_cvv_invalid' : CARD_PROBLEM_MESSAGES[problem];
        (errors[field] ??= []).push(this.translator.translate(key, ctx.language));
      }
      throw new PageError(errors);
    }
    return { details, threeD: TRUTHY.includes(this.text(form.use_three_d)?.toLowerCase() ?? '') };
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
    const pk = idFromText(text);
    if (pk === null) throw this.field(ctx, field, 'validation.invalid');
    const found = await this.addresses.forCheckout(ctx, pk);
    if (!found) throw this.field(ctx, field, 'validation.invalid');
    // A migrated address whose places matched no geography row (or a place since deactivated): the customer edits it.
    if (!found.complete) throw this.field(ctx, field, 'address.incomplete');
    return pk;
  }

  /** The chosen addresses as the order keeps them, checked again: they may have changed since they were chosen. */
  private async orderAddresses(ctx: StorefrontRequestContext, state: CheckoutState): Promise<OrderAddresses> {
    const shipping = await this.addressPk(ctx, String(state.shipping_address), 'shipping_address');
    const billing = await this.addressPk(ctx, String(state.billing_address ?? shipping), 'billing_address');
    return { shipping: await this.addresses.get(ctx, shipping), billing: await this.addresses.get(ctx, billing) };
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
    // Form posts carry strings; a JSON post (the guide's own examples) may carry `true` or a number for the same field.
    if (value === true) return 'true';
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' || trimmed.length > FIELD_TEXT_MAX ? undefined : trimmed;
  }

  private state(ctx: StorefrontRequestContext): CheckoutState {
    const value = ctx.session.get(CHECKOUT_SESSION_KEY);
    return value !== null && typeof value === 'object' ? value : {};
  }

  /**
   * Stores the fields a step sets, merged into the stored state field by field: the client posts missing steps at
   * once, and each keeps the others' choices, on whichever instance they ran.
   */
  private save(ctx: StorefrontRequestContext, changes: CheckoutState): Promise<void> {
    // A new checkout after a placed order: the old thank-you page is no longer the answer to the last page.
    const fields: CheckoutState = { ...changes, completed_order: undefined };
    return this.sessions.merge(ctx.session, ctx.channel.id, CHECKOUT_SESSION_KEY, fields);
  }

  private field(ctx: StorefrontRequestContext, field: string, key: MessageKey, args?: MessageArgs): PageError {
    return new PageError({ [field]: [this.translator.translate(key, ctx.language, args)] });
  }

  private nonField(ctx: StorefrontRequestContext, key: MessageKey, args?: MessageArgs): PageError {
    return new PageError({ non_field_errors: this.translator.translate(key, ctx.language, args) }, key);
  }
}
