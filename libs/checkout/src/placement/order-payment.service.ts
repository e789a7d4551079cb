import { toLedgerOrder } from '../orders/order-ledger-lookup';
import { Injectable, Logger } from '@nestjs/common';
import { FaultPoints, parseAmount } from '@app/common';
import { LedgerError, LedgerService } from '@app/ledger';
import { DynamicSettingsService } from '@app/settings';
import {
  CANCEL_DETAIL_LENGTH_MAX,
  type CancelReason,
  type OrderEntity,
  type OrderStatus,
} from '../entities/order.entity';
import type { CardDetails, DeclineReason } from '../payments/card-gateway';
import { CardPaymentService } from '../payments/card-payment.service';
import { type InstallmentPrice, percentOfRoundedDown } from '../payments/card-rules';
import { OrderRepository } from '../repositories/order.repository';
import { OrderStateRepository } from '../repositories/order-state.repository';

/** How a placement ended, for the final page to answer. */
export type PlacementOutcome =
  | { kind: 'completed'; order: OrderEntity }
  | { kind: 'declined'; order: OrderEntity; reason: DeclineReason }
  /** The store-credit payment was refused (a LedgerError): the charge, if any, was voided, the order cancelled. */
  | { kind: 'refused'; order: OrderEntity; error: LedgerError }
  | { kind: 'review'; order: OrderEntity }
  /** Recovery cancelled an order whose placement never finished: nothing charged, no store credit spent. */
  | { kind: 'cancelled'; order: OrderEntity }
  /** The order is in another state than this step expected: someone else (recovery) moved it. */
  | { kind: 'moved'; order: OrderEntity };

/** Why a placement cancels its order, recorded on it for staff (`cancel_reason`, `cancel_detail`). */
export interface CancelCause {
  reason: CancelReason;
  /** The gateway's decline reason, the ledger's refusal code, what recovery found. */
  detail?: string | null;
}

/** The points where a crash leaves an order between two committed states; tests stop there (FaultPoints). */
export const PLACEMENT_POINTS = [
  'order.placed',
  'card.charge_requested',
  'card.gateway_answered',
  'card.charge_recorded',
  'card.charged',
  'loyalty.paid',
  'order.completed',
] as const;

/**
 * The order's way from `pending` to a final state, one committed step at a time (docs/checkout.md):
 *
 *   pending --(card)--> charging --> charged --> completed
 *   pending --(store credit only)-----------------> completed
 *   any of those --> cancelled (charge voided, stock and basket lines given back) | payment_review
 *
 * Each step is a compare-and-set on the status, committed before the next outside call (the card gateway, the
 * ledger), so a crash anywhere leaves a state the recovery worker can read and finish, and two runners (a live
 * request and recovery, or two recoverers) cannot both act: the one whose update finds the expected status goes on.
 * No step holds a connection or a transaction across an outside call.
 */
@Injectable()
export class OrderPayment {
  private readonly logger = new Logger('OrderPayment');

  constructor(
    private readonly states: OrderStateRepository,
    private readonly orders: OrderRepository,
    private readonly ledger: LedgerService,
    private readonly payments: CardPaymentService,
    private readonly settings: DynamicSettingsService,
    private readonly faults: FaultPoints,
  ) {}

  /** A card order just placed (`pending`): charge, then pay the store-credit part, then complete. */
  async payByCard(
    order: OrderEntity,
    card: CardDetails,
    price: InstallmentPrice,
    threeD: boolean,
  ): Promise<PlacementOutcome> {
    await this.faults.reached('order.placed');
    if (!(await this.move(order, ['pending'], 'charging'))) return this.moved(order);
    await this.faults.reached('card.charge_requested');
    let result;
    try {
      result = await this.payments.requestCharge(order, card, price, threeD);
    } catch (error) {
      // No answer: the bank may hold the money. Neither cancelled nor retried; staff settle it.
      this.logger.error({ err: error, order: order.number }, 'the card gateway failed: the charge is unknown');
      return this.review(order, 'the card gateway gave no answer');
    }
    await this.faults.reached('card.gateway_answered');
    // Not inside the gateway's try: a database failure here leaves `charging`, which recovery settles by asking
    // the gateway, instead of passing for a gateway without an answer.
    const charged = await this.payments.recordCharge(order, result, card);
    await this.faults.reached('card.charge_recorded');
    if (!charged.approved) {
      await this.cancel(order, { reason: 'card_declined', detail: charged.reason });
      return { kind: 'declined', order, reason: charged.reason };
    }
    return this.afterCharge(order);
  }

  /** A store-credit-only order just placed (`pending`). */
  async payByStoreCredit(order: OrderEntity): Promise<PlacementOutcome> {
    await this.faults.reached('order.placed');
    return this.payStoreCreditAndComplete(order, ['pending']);
  }

  /**
   * Drives an order found in an intermediate state to a final one (the recovery worker, under the user's claim).
   * `pending`: nothing was charged; completed if its store credit was paid after all, else cancelled.
   * `charging`: the gateway is asked what became of the charge: approved goes on as `charged`, declined or never
   * seen cancels, unknown is `payment_review`. `charged`: pays the store credit (idempotent by order) and completes,
   * or voids the charge and cancels when the payment is refused.
   */
  async recover(order: OrderEntity): Promise<PlacementOutcome> {
    switch (order.status) {
      case 'pending': {
        if (await this.ledger.orderPayment(order.channelId, order.number)) {
          return this.payStoreCreditAndComplete(order, ['pending']);
        }
        await this.cancel(order, {
          reason: 'placement_unfinished',
          detail:
            order.cardAmount > 0n
              ? 'the placement stopped before the card was charged'
              : 'the placement stopped before the store credit was paid',
        });
        return { kind: 'cancelled', order };
      }
      case 'charging':
        return this.recoverCharge(order);
      case 'charged':
        return this.payStoreCreditAndComplete(order, ['charged']);
      case 'completed':
      case 'cancelled':
      case 'payment_review':
        return this.moved(order);
    }
  }

  /**
   * Finishes, now, an order whose own placement stopped (an outage) where the rest needs nothing from outside but
   * the ledger: a store-credit-only `pending` order, or a `charged` one. Its store-credit payment is idempotent by
   * order number, so a payment the first run committed after all is found, not made twice; the status moves are
   * compare-and-sets. Undefined for what must wait for recovery: a card charge in doubt (`charging`), or a card
   * order that never reached the gateway (`pending`: its card details are gone, so recovery cancels it).
   * The caller holds the user's placement lease, as recovery does.
   */
  async resume(order: OrderEntity): Promise<PlacementOutcome | undefined> {
    if (order.status === 'pending' && order.cardAmount === 0n)
      return this.payStoreCreditAndComplete(order, ['pending']);
    if (order.status === 'charged') return this.payStoreCreditAndComplete(order, ['charged']);
    return undefined;
  }

  private async recoverCharge(order: OrderEntity): Promise<PlacementOutcome> {
    const charge = await this.payments.settled(order);
    switch (charge.state) {
      case 'approved':
        return this.afterCharge(order);
      case 'declined':
        await this.cancel(order, { reason: 'card_declined', detail: charge.reason });
        return { kind: 'declined', order, reason: charge.reason };
      case 'voided':
      case 'not_found':
        await this.cancel(order, {
          reason: 'placement_unfinished',
          detail:
            charge.state === 'voided'
              ? 'the gateway reports the charge voided'
              : 'the gateway never received the charge',
        });
        return { kind: 'cancelled', order };
      case 'unknown':
        return this.review(order, 'the card gateway cannot tell what became of the charge');
    }
  }

  /**
   * Cancels an order still in flight, recording why (a decline, a refused store-credit payment and an unfinished
   * placement are attempts, left out of the customer's order history), and returns its stock (and, when the user still
   * has a basket, its lines). False when the order had already left the in-flight states.
   */
  async cancel(order: OrderEntity, cause: CancelCause = { reason: 'placement_unfinished' }): Promise<boolean> {
    const detail = cause.detail?.slice(0, CANCEL_DETAIL_LENGTH_MAX) ?? null;
    if (!(await this.states.cancel(order, cause.reason, detail))) return false;
    order.status = 'cancelled';
    order.cancelReason = cause.reason;
    order.cancelDetail = detail;
    return true;
  }

  async review(order: OrderEntity, reason: string): Promise<PlacementOutcome> {
    const why = reason.slice(0, 200);
    if (!(await this.states.review(order.id, why))) return this.moved(order);
    order.status = 'payment_review';
    order.reviewReason = why;
    return { kind: 'review', order };
  }

  /** Compare-and-set of the status, in its own statement: true when this caller moved the order. */
  async move(order: OrderEntity, from: readonly OrderStatus[], to: OrderStatus): Promise<boolean> {
    if (!(await this.states.move(order.id, from, to))) return false;
    order.status = to;
    return true;
  }

  private async afterCharge(order: OrderEntity): Promise<PlacementOutcome> {
    if (order.status !== 'charged' && !(await this.move(order, ['charging'], 'charged'))) return this.moved(order);
    await this.faults.reached('card.charged');
    return this.payStoreCreditAndComplete(order, ['charged']);
  }

  /**
   * Pays the store-credit part (idempotent by order number: a second run finds the first payment) and completes.
   * A refusal (too little credit now, loyalty money switched off) voids the card charge and cancels; a failure to
   * void leaves the order for staff. Any other error (the database went away) leaves the order as it is, for the
   * recovery worker.
   */
  private async payStoreCreditAndComplete(order: OrderEntity, from: readonly OrderStatus[]): Promise<PlacementOutcome> {
    if (order.loyaltyAmount > 0n) {
      try {
        await this.ledger.payOrder(order.channelId, {
          orderNumber: order.number,
          amount: order.loyaltyAmount,
          // Held in `from` under the customer's placement lease: not cancelled, so no need to look it up again.
          order: toLedgerOrder(order),
        });
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        if (order.cardAmount > 0n) {
          try {
            await this.payments.void(order.id);
          } catch (voidError) {
            this.logger.error({ err: voidError, order: order.number }, 'voiding the card charge of an order failed');
            return this.review(order, 'the store credit was refused and voiding the card charge failed');
          }
        }
        await this.cancel(order, { reason: 'store_credit_refused', detail: error.reason });
        return { kind: 'refused', order, error };
      }
      await this.faults.reached('loyalty.paid');
    }
    if (!(await this.move(order, from, 'completed'))) return this.moved(order);
    await this.faults.reached('order.completed');
    await this.creditEarning(order);
    return { kind: 'completed', order };
  }

  /**
   * LOYALTY_EARNING_RATE percent of the card-paid amount (interest excluded: it pays for credit, not goods),
   * rounded down to the cent, from BANK to the customer. The order is already paid and completed, so a failure here
   * must not fail the checkout: it is logged with the order number, and crediting is idempotent by order, so it can
   * be run again for that order. Placement calls it when an order completes, and so does staff's settlement of an
   * order in payment review (`OrderAdminService.settle`, `complete`).
   */
  async creditEarning(order: OrderEntity): Promise<void> {
    if (order.cardAmount === 0n) return;
    try {
      // A percent with two decimals read as minor units is a count of basis points: "2.50" -> 250.
      const rate = parseAmount((await this.settings.get(order.channelId)).LOYALTY_EARNING_RATE);
      const basisPoints = rate.ok && rate.minor > 0n ? rate.minor : 0n;
      const earned = percentOfRoundedDown(order.cardAmount, basisPoints);
      if (earned === 0n) return;
      await this.ledger.creditOrderEarning(order.channelId, { orderNumber: order.number, amount: earned });
    } catch (error) {
      this.logger.error({ err: error, order: order.number }, 'crediting the loyalty earning of an order failed');
    }
  }

  private async moved(order: OrderEntity): Promise<PlacementOutcome> {
    const now = await this.orders.byId(order.id);
    if (!now) throw new Error(`order ${order.id} is gone`);
    return { kind: 'moved', order: now };
  }
}
