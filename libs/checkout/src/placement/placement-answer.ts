import type { PlainMessageKey } from '@app/common';
import type { CheckoutPageContextDto } from '../dtos/checkout.dto';
import type { OrderEntity } from '../entities/order.entity';
import type { PlacementOutcome } from './order-payment.service';
import type { DeclineReason } from '../payments/card-gateway';
import type { CheckoutSnapshot } from '../checkout-pages/checkout-snapshot';
import { pageContextOf } from '../checkout-pages/page';
import { PageError } from '../checkout-pages/page-error';

const DECLINE_MESSAGES: Readonly<Record<DeclineReason, PlainMessageKey>> = {
  declined: 'checkout.card_declined',
  insufficient_funds: 'checkout.card_insufficient_funds',
  three_d_required: 'checkout.card_three_d_required',
};

/** The thank-you page of a placed order; its token opens `/orders/completed/<token>/` for the customer. */
export function thankYouPage(token: string, order: OrderEntity): CheckoutPageContextDto[] {
  return pageContextOf('ThankYouPage', {
    redirect_url: `/orders/completed/${token}/`,
    order_id: order.id,
    new_user: false,
    token,
    campaigns: [],
  });
}

/** The error of an order that is not (yet) completed: in review, or still being paid. */
export function unfinishedOrderError(order: OrderEntity): PageError {
  if (order.status === 'payment_review') return PageError.nonField('checkout.payment_review', { number: order.number });
  return PageError.nonField('checkout.payment_in_progress', { number: order.number });
}

/**
 * The final page's answer to how a placement ended: the thank-you page, or the reason as the page's error. A
 * refused store-credit payment is the ledger's error, which the envelope answers as the app's edge table says.
 */
export async function answerPlacement(
  snapshot: CheckoutSnapshot,
  outcome: PlacementOutcome,
  thankYou: (order: OrderEntity) => CheckoutPageContextDto[],
): Promise<CheckoutPageContextDto[]> {
  const { order } = outcome;
  // Anything but a completed order may have given the basket back (a cancelled order returns its lines).
  if (outcome.kind !== 'completed') snapshot.forgetBasket();
  switch (outcome.kind) {
    case 'completed':
      await snapshot.completed(order.number);
      return thankYou(order);
    case 'declined':
      throw PageError.nonField(DECLINE_MESSAGES[outcome.reason]);
    case 'refused':
      throw outcome.error;
    case 'review':
      throw unfinishedOrderError(order);
    case 'cancelled':
    case 'moved':
      if (order.status === 'completed') return thankYou(order);
      throw unfinishedOrderError(order);
  }
}
