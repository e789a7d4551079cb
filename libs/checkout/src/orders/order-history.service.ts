import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { NotAuthenticatedError, NotFoundError, type Page, type PageQueryDto, toPage } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { OrderResponseDto } from '../dtos/order.dto';
import { ATTEMPT_CANCEL_REASONS, OrderEntity } from '../entities/order.entity';
import { parseOrderId, toOrderResponse } from './order.mapper';

/** A signed-in customer's own orders (the account's order history). */
@Injectable()
export class OrderHistoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The orders the customer placed, newest first; the id breaks ties so pages never overlap when two orders share a
   * timestamp. Failed attempts (a declined card, a refused store-credit payment, a placement recovery cancelled) are
   * left out: the customer never had them (docs/checkout.md, "Failed attempts").
   */
  async list(ctx: StorefrontRequestContext, query: PageQueryDto, requestUrl: URL): Promise<Page<OrderResponseDto>> {
    const user = this.requireUser(ctx);
    const [rows, count] = await this.placedBy(ctx.channel.id, user.id)
      .orderBy('o.createdDate', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .skip(query.offset)
      .take(query.page_size)
      .getManyAndCount();
    return toPage(rows.map(toOrderResponse), count, query, requestUrl);
  }

  /** One order of the caller; another customer's order is "not found", never "forbidden" (no id probing). */
  async get(ctx: StorefrontRequestContext, idText: string): Promise<OrderResponseDto> {
    const user = this.requireUser(ctx);
    const id = parseOrderId(idText);
    const order =
      id === null ? null : await this.placedBy(ctx.channel.id, user.id).andWhere('o.id = :id', { id }).getOne();
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
    return toOrderResponse(order);
  }

  /** A customer's orders in a channel, failed attempts left out. */
  private placedBy(channelId: number, userId: number): SelectQueryBuilder<OrderEntity> {
    return this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where('o.channelId = :channelId AND o.userId = :userId', { channelId, userId })
      .andWhere('(o.cancelReason IS NULL OR o.cancelReason NOT IN (:...attempts))', {
        attempts: [...ATTEMPT_CANCEL_REASONS],
      });
  }

  private requireUser(ctx: StorefrontRequestContext): NonNullable<StorefrontRequestContext['user']> {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }
}
