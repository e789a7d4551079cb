import { formatAmount } from '@app/common';
import type { CompletedOrderDto } from '../dtos/checkout.dto';
import type { OrderEntity } from '../entities/order.entity';

/**
 * How an order's payment option (stored by slug) is shown, as the checkout's payment options describe it. An
 * option retired later still shows its slug.
 */
const PAYMENT_OPTIONS_BY_SLUG: Readonly<Record<string, Record<string, unknown>>> = {
  credit_card: {
    pk: 1,
    name: 'Credit card',
    slug: 'credit_card',
    payment_type: 'credit_card',
    payment_type_label: 'Credit Card',
  },
  loyalty_money: {
    pk: 2,
    name: 'Loyalty money',
    slug: 'loyalty_money',
    payment_type: 'loyalty_money',
    payment_type_label: 'Loyalty Money',
  },
};

/** The one order shape of the storefront: the thank-you page's order and the order history use it alike. */
export function toOrderResponse(order: OrderEntity): CompletedOrderDto {
  return {
    pk: order.id,
    number: order.number,
    amount: formatAmount(order.totalAmount),
    loyalty_amount: formatAmount(order.loyaltyAmount),
    card_amount: formatAmount(order.cardAmount),
    status: order.status,
    currency: order.currency,
    orderitem_set: order.items.map((item) => ({ ...item })),
    payment_option: { ...(PAYMENT_OPTIONS_BY_SLUG[order.paymentOption] ?? { slug: order.paymentOption }) },
    installment_count: 1,
    created_date: order.createdDate.toISOString(),
  };
}

const ORDER_ID_MAX = 2_147_483_647;

/** An order id from a URL; anything that cannot name an order (text, zero, beyond the column) is null. */
export function parseOrderId(text: string): number | null {
  if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= ORDER_ID_MAX ? id : null;
}
