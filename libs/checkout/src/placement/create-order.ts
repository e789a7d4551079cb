import { createHash } from 'node:crypto';
import { formatAmount, type MinorUnits } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { AddressResponseDto } from '../dtos/address.dto';
import type { OrderEntity } from '../entities/order.entity';
import { InsufficientStockError } from '../errors';
import { newOrderNumber } from '../orders/order-number';
import type { PricedBasket } from '../pricing/basket-pricing';
import type { OrderStateRepository, PlacementLines } from '../repositories/order-state.repository';

/** How an order's total is paid, as the order records it. */
export interface PaymentSplit {
  loyaltyAmount: MinorUnits;
  cardAmount: MinorUnits;
  interestAmount: MinorUnits;
  installmentCount: number;
  cardLast4: string | null;
  cardType: string | null;
  paymentOption: string;
}

export interface OrderAddresses {
  shipping: AddressResponseDto;
  billing: AddressResponseDto;
}

/** What the session that places an order is known by on the order (never the session id itself). */
export function sessionHash(ctx: StorefrontRequestContext): string | null {
  return ctx.session.id ? createHash('sha256').update(ctx.session.id).digest('hex') : null;
}

/**
 * The pending order of the priced basket, with its stock taken and the basket emptied, in one statement
 * (`checkout_place_order`, migration 1765070000000) that first takes the basket row's lock and checks that the basket
 * is still the one priced: every line, product state and price as read. Null when it is not (emptied, changed,
 * repriced): the customer looks again.
 */
export async function createPendingOrder(
  states: OrderStateRepository,
  ctx: StorefrontRequestContext,
  userId: number,
  basket: PricedBasket,
  shipping: MinorUnits,
  split: PaymentSplit,
  addresses: OrderAddresses,
): Promise<OrderEntity | null> {
  if (basket.basketId === null || basket.lines.length === 0) return null;
  const order: Partial<OrderEntity> = {
    number: newOrderNumber(),
    channelId: ctx.channel.id,
    userId,
    currency: ctx.currency,
    items: basket.lines.map((line) => ({
      product: line.productId,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unit_price: formatAmount(line.unitPrice),
      total_amount: formatAmount(line.lineTotal),
    })),
    shippingAddress: addresses.shipping,
    billingAddress: addresses.billing,
    totalAmount: basket.total + shipping,
    ...split,
    status: 'pending',
    placedSession: sessionHash(ctx),
  };
  const lines: PlacementLines = {
    read: basket.read.map((line) => ({
      id: line.id,
      product_id: line.productId,
      quantity: line.quantity,
      active: line.active,
      unit_minor: line.unitPrice === null ? null : line.unitPrice.toString(),
    })),
    // Stock rows are locked in product id order, so two orders of the same products cannot deadlock on them.
    sold: [...basket.lines]
      .sort((a, b) => a.productId - b.productId)
      .map((line) => ({ product_id: line.productId, quantity: line.quantity })),
  };
  const placed = await states.place(basket.basketId, ctx.currency, lines, order);
  if (placed !== null && 'insufficientStock' in placed) throw new InsufficientStockError(placed.insufficientStock);
  return placed;
}
