import { formatAmount } from '@app/common';
import type { CompletedOrderDto } from '../dtos/checkout.dto';
import type { OrderEntity } from '../entities/order.entity';
import { PAYMENT_OPTIONS } from '../checkout-pages/payment-options';

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
    // An option retired later still shows its slug.
    payment_option: {
      ...(PAYMENT_OPTIONS.find((o) => o.slug === order.paymentOption) ?? { slug: order.paymentOption }),
    },
    installment_count: order.installmentCount,
    interest_amount: formatAmount(order.interestAmount),
    card_last4: order.cardLast4,
    card_type: order.cardType,
    created_date: order.createdDate.toISOString(),
    shipping_address: order.shippingAddress,
    billing_address: order.billingAddress,
  };
}
