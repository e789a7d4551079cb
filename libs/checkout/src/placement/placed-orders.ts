import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { CheckoutPageContextDto, CompletedOrderResponseDto } from '../dtos/checkout.dto';
import type { OrderEntity } from '../entities/order.entity';
import { toOrderResponse } from '../checkout.mapper';
import { OrderRepository } from '../repositories/order.repository';
import { OrderTokens } from '../checkout-pages/order-token';
import { thankYouPage } from './placement-answer';

/** The orders a customer placed, as the thank-you page and its link show them. */
@Injectable()
export class PlacedOrders {
  constructor(
    private readonly placed: OrderRepository,
    private readonly tokens: OrderTokens,
  ) {}

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
  placedByCaller(ctx: StorefrontRequestContext, number: string): Promise<OrderEntity | null> {
    if (!ctx.user) return Promise.resolve(null);
    return this.placed.ofUser(ctx.channel.id, ctx.user.id, number);
  }

  /** The customer's latest order, whatever its state. */
  async latestOf(channelId: number, userId: number): Promise<OrderEntity | null> {
    return this.placed.latestOf(channelId, userId);
  }

  thankYou(channelId: number, order: OrderEntity): CheckoutPageContextDto[] {
    return thankYouPage(this.tokens.sign(channelId, order.number), order);
  }
}
