import { Injectable } from '@nestjs/common';
import { idFromText, NotAuthenticatedError, type Page, type PageQueryDto, toPage } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { OrderResponseDto } from '../dtos/order.dto';
import { CheckoutOrderNotFoundError } from '../errors';
import { OrderRepository } from '../repositories/order.repository';
import { toOrderResponse } from '../checkout.mapper';

/** A signed-in customer's own orders (the account's order history). */
@Injectable()
export class OrderHistoryService {
  constructor(private readonly orders: OrderRepository) {}

  /**
   * The orders the customer placed, newest first; the id breaks ties so pages never overlap when two orders share a
   * timestamp. Failed attempts (a declined card, a refused store-credit payment, a placement recovery cancelled) are
   * left out: the customer never had them (docs/checkout.md, "Failed attempts").
   */
  async list(ctx: StorefrontRequestContext, query: PageQueryDto, requestUrl: URL): Promise<Page<OrderResponseDto>> {
    const user = this.requireUser(ctx);
    const [rows, count] = await this.orders.historyPage(ctx.channel.id, user.id, query.offset, query.page_size);
    return toPage(rows.map(toOrderResponse), count, query, requestUrl);
  }

  /** One order of the caller; another customer's order is "not found", never "forbidden" (no id probing). */
  async get(ctx: StorefrontRequestContext, idText: string): Promise<OrderResponseDto> {
    const user = this.requireUser(ctx);
    const id = idFromText(idText);
    const order = id === null ? null : await this.orders.placedById(ctx.channel.id, user.id, id);
    if (!order) throw new CheckoutOrderNotFoundError();
    return toOrderResponse(order);
  }

  private requireUser(ctx: StorefrontRequestContext): NonNullable<StorefrontRequestContext['user']> {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }
}
