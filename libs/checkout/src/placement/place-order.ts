import { Injectable } from '@nestjs/common';
import { AppConfig, Clock, formatAmount } from '@app/common';
import { Leases } from '@app/database';
import type { CheckoutFormDto, CheckoutPageContextDto } from '../dtos/checkout.dto';
import { IN_FLIGHT_STATUSES, type OrderEntity } from '../entities/order.entity';
import { OrderPayment } from './order-payment.service';
import { placementLeaseName, RecoveryConfig } from './order-recovery.worker';
import type { CardDetails } from '../payments/card-gateway';
import { cardTypeOf } from '../payments/card-rules';
import { cardOfForm } from '../checkout-pages/card-form';
import { shippingAmount } from '../checkout-pages/checkout-options';
import { type CheckoutAmounts, type CheckoutSnapshot, inOrder } from '../checkout-pages/checkout-snapshot';
import { isTruthy } from '../checkout-pages/form-fields';
import { chosenInstallment } from '../checkout-pages/installments';
import { PageError } from '../checkout-pages/page-error';
import { requireCardPayable } from '../checkout-pages/payment-option-availability';
import { CREDIT_CARD, LOYALTY_MONEY } from '../checkout-pages/payment-options';
import { checkoutAddress } from '../checkout-pages/pages/address-selection.page';
import { createPendingOrder, type OrderAddresses, type PaymentSplit, sessionHash } from './create-order';
import { answerPlacement, unfinishedOrderError } from './placement-answer';
import { PlacedOrders } from './placed-orders';
import { OrderStateRepository } from '../repositories/order-state.repository';

/** A final post waits this long for an earlier one of the same customer before it answers "busy". */
const PLACEMENT_WAIT_MS = 10_000;
/** An empty-basket final post this soon after an order the same session placed is that order's repeat. */
const REPEAT_WINDOW_MS = 15 * 60_000;

/**
 * The final checkout pages: where an order is placed. Loyalty money pays all of it (LoyaltyPaymentSelectedPage,
 * LoyaltyMoneyPage), or a card pays what loyalty money leaves (CreditCardConfirmationPage). The order's way from
 * there to a final state is OrderPayment's.
 */
@Injectable()
export class PlaceOrder {
  private readonly placementLeaseMs: number;

  constructor(
    private readonly states: OrderStateRepository,
    private readonly payment: OrderPayment,
    private readonly placed: PlacedOrders,
    private readonly leases: Leases,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    // Long enough for a placement (the gateway's own timeout bounds its call), and renewed while it runs.
    this.placementLeaseMs = new RecoveryConfig(config.env).placementLeaseMs;
  }

  /**
   * Places the order of a final page once. A customer's final posts are serialised by the placement lease
   * (`checkout:user:<id>`, in PostgreSQL: no connection is held while it is, nor across the card gateway's call),
   * shared with the recovery worker. Inside it, nothing new is charged while an order of this customer is still in
   * an intermediate state: the post answers that order's state. A repeat of a completed placement (the session
   * remembers it, or the basket is empty right after one) answers its thank-you page.
   */
  async complete(
    snapshot: CheckoutSnapshot,
    form: CheckoutFormDto,
    byCard: boolean,
  ): Promise<CheckoutPageContextDto[]> {
    const user = snapshot.requireUser();
    if (!isTruthy(form.agreement)) throw PageError.field('agreement', 'checkout.agreement_required');
    const card = byCard ? cardOfForm(snapshot.sources.payments, form) : null;
    const held = await this.leases.withLease(
      placementLeaseName(user.id),
      { ttlMs: this.placementLeaseMs, waitMs: PLACEMENT_WAIT_MS },
      async () => {
        // Another post may have placed the order while this one waited: read the session and basket afresh.
        await snapshot.refresh();
        const latest = await snapshot.latestOrder();
        if (latest && (IN_FLIGHT_STATUSES as readonly string[]).includes(latest.status)) {
          // A placement cut short by an outage (its post answered 503) is finished by the client's retry when
          // nothing outside is in doubt; a card charge in doubt waits for the recovery worker.
          const resumed = await this.payment.resume(latest);
          if (resumed) return answerPlacement(snapshot, resumed, (o) => this.thankYou(snapshot, o));
          throw PageError.nonField('checkout.payment_in_progress', { number: latest.number });
        }
        const { state } = snapshot;
        if (state.completed_order && state.payment_option === undefined) {
          const done = await this.placed.placedByCaller(snapshot.ctx, state.completed_order);
          if (done?.status === 'completed') return this.thankYou(snapshot, done);
        }
        try {
          return card
            ? await this.placeByCard(snapshot, card.details, card.threeD)
            : await this.placeByCredit(snapshot);
        } catch (error) {
          // A placement that did not complete may have given the basket back.
          snapshot.forgetBasket();
          const repeat = this.repeatOf(snapshot, latest, error);
          if (repeat?.status === 'completed') return this.thankYou(snapshot, repeat);
          if (repeat?.status === 'payment_review') throw unfinishedOrderError(repeat);
          throw error;
        }
      },
    );
    if (!held) throw PageError.nonField('checkout.placement_busy');
    return held.value;
  }

  /**
   * The session may have lost the record of a placement that completed (its write failed with the connection): an
   * empty basket right after an order this session placed is that order's repeat.
   */
  private repeatOf(snapshot: CheckoutSnapshot, latest: OrderEntity | null, error: unknown): OrderEntity | null {
    if (!(error instanceof PageError) || error.key !== 'checkout.basket_empty' || latest === null) return null;
    const sameSession = latest.placedSession !== null && latest.placedSession === sessionHash(snapshot.ctx);
    const recent = this.clock.nowMs() - latest.createdDate.getTime() < REPEAT_WINDOW_MS;
    return sameSession && recent ? latest : null;
  }

  private async placeByCredit(snapshot: CheckoutSnapshot): Promise<CheckoutPageContextDto[]> {
    const amounts = await snapshot.requireBasket();
    snapshot.requireSteps('delivery_option', 'shipping_address', 'shipping_option');
    await snapshot.requireLoyaltyEnabled();
    if (snapshot.state.payment_option !== LOYALTY_MONEY.pk)
      throw PageError.field('payment_option', 'validation.invalid');
    const { total, loyalty } = amounts;
    if (total === 0n || loyalty !== total) {
      throw PageError.nonField('checkout.loyalty_not_covering', { amount: formatAmount(total - loyalty) });
    }
    const split: PaymentSplit = {
      loyaltyAmount: total,
      cardAmount: 0n,
      interestAmount: 0n,
      installmentCount: 1,
      cardLast4: null,
      cardType: null,
      paymentOption: LOYALTY_MONEY.slug,
    };
    const order = await this.createOrder(snapshot, amounts, split);
    return answerPlacement(snapshot, await this.payment.payByStoreCredit(order), (o) => this.thankYou(snapshot, o));
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
   * states are OrderPayment's.
   */
  private async placeByCard(
    snapshot: CheckoutSnapshot,
    card: CardDetails,
    threeD: boolean,
  ): Promise<CheckoutPageContextDto[]> {
    const amounts = await snapshot.requireBasket();
    snapshot.requireSteps('delivery_option', 'shipping_address', 'shipping_option');
    const { total, loyalty, unpaid } = amounts;
    requireCardPayable(snapshot.state, total, loyalty);
    if (loyalty > 0n) {
      await snapshot.requireLoyaltyEnabled();
      const balance = await snapshot.balance();
      if (balance < loyalty) {
        throw PageError.nonField('checkout.loyalty_exceeds_balance', { max: formatAmount(balance) });
      }
    }
    const payments = snapshot.sources.payments;
    const price = payments.price(unpaid, chosenInstallment(payments, snapshot.state));
    const split: PaymentSplit = {
      loyaltyAmount: loyalty,
      cardAmount: unpaid,
      interestAmount: price.interest,
      installmentCount: price.count,
      cardLast4: card.number.slice(-4),
      cardType: cardTypeOf(card.number) ?? null,
      paymentOption: CREDIT_CARD.slug,
    };
    const order = await this.createOrder(snapshot, amounts, split);
    const outcome = await this.payment.payByCard(order, card, price, threeD);
    return answerPlacement(snapshot, outcome, (o) => this.thankYou(snapshot, o));
  }

  /** The pending order of the checked basket and addresses; the basket is the order's from here on. */
  private async createOrder(
    snapshot: CheckoutSnapshot,
    amounts: CheckoutAmounts,
    split: PaymentSplit,
  ): Promise<OrderEntity> {
    const addresses = await this.orderAddresses(snapshot);
    const user = snapshot.requireUser();
    const basketId = amounts.basket.basketId!;
    const shipping = shippingAmount(snapshot.state);
    const order = await createPendingOrder(
      this.states,
      snapshot.ctx,
      user.id,
      amounts.basket,
      shipping,
      split,
      addresses,
    );
    // The basket changed between the pricing and the lock: let the customer look again.
    if (!order) {
      snapshot.forgetBasket();
      throw PageError.nonField('checkout.step_missing');
    }
    snapshot.tookBasket(basketId);
    return order;
  }

  /** The chosen addresses as the order keeps them, checked again: they may have changed since they were chosen. */
  private async orderAddresses(snapshot: CheckoutSnapshot): Promise<OrderAddresses> {
    const { state } = snapshot;
    const [shippingPk, billingPk] = await inOrder([
      checkoutAddress(snapshot, String(state.shipping_address), 'shipping_address'),
      checkoutAddress(snapshot, String(state.billing_address ?? state.shipping_address), 'billing_address'),
    ] as const);
    const [shipping, billing] = await Promise.all([snapshot.address(shippingPk), snapshot.address(billingPk)]);
    return { shipping: shipping!, billing: billing! };
  }

  private thankYou(snapshot: CheckoutSnapshot, order: OrderEntity): CheckoutPageContextDto[] {
    return this.placed.thankYou(snapshot.ctx.channel.id, order);
  }
}
