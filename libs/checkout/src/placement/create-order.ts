import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { formatAmount, type MinorUnits } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { AddressResponseDto } from '../dtos/address.dto';
import { BasketEntity } from '../entities/basket.entity';
import { BasketItemEntity } from '../entities/basket-item.entity';
import { OrderEntity } from '../entities/order.entity';
import { InsufficientStockError } from '../errors';
import { newOrderNumber } from '../orders/order-number';
import { priceBasket } from '../pricing/basket-pricing';
import { readBasketLines } from '../repositories/basket-lines.repository';

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
 * The pending order of a basket, with the basket's stock taken and the basket emptied, in the caller's
 * transaction (the basket row locked first). Priced again under the lock by the same rule as every page; null when
 * the basket is not what the customer saw (emptied, or another total): the customer looks again.
 */
export async function createPendingOrder(
  m: EntityManager,
  ctx: StorefrontRequestContext,
  userId: number,
  basketId: number,
  shipping: MinorUnits,
  expectedTotal: MinorUnits,
  split: PaymentSplit,
  addresses: OrderAddresses,
): Promise<OrderEntity | null> {
  await m.getRepository(BasketEntity).findOne({ where: { id: basketId }, lock: { mode: 'pessimistic_write' } });
  const basket = priceBasket(basketId, ctx.currency, await readBasketLines(m, basketId, ctx.currency));
  const total = basket.total + shipping;
  if (basket.lines.length === 0 || total !== expectedTotal) return null;
  for (const line of basket.lines) {
    const taken: unknown[] = await m.query(
      `UPDATE "product" SET "stock" = "stock" - $1 WHERE "id" = $2 AND "stock" >= $1 RETURNING "id"`,
      [line.quantity, line.productId],
    );
    if (!Array.isArray(taken) || taken.length === 0 || (Array.isArray(taken[0]) && taken[0].length === 0)) {
      throw new InsufficientStockError(line.stock);
    }
  }
  const orders = m.getRepository(OrderEntity);
  const order = await orders.save(
    orders.create({
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
      totalAmount: total,
      ...split,
      status: 'pending',
      placedSession: sessionHash(ctx),
    }),
  );
  await m.getRepository(BasketItemEntity).delete({ basketId });
  return order;
}
