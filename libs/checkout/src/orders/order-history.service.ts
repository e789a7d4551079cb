import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NotAuthenticatedError, NotFoundError, type Page, type PageQueryDto, toPage } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { OrderResponseDto } from '../dtos/order.dto';
import { OrderEntity } from '../entities/order.entity';
import { parseOrderId, toOrderResponse } from './order.mapper';

/** A signed-in customer's own orders (the account's order history). */
@Injectable()
export class OrderHistoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first; the id breaks ties so pages never overlap when two orders share a timestamp. */
  async list(ctx: StorefrontRequestContext, query: PageQueryDto, requestUrl: URL): Promise<Page<OrderResponseDto>> {
    const user = this.requireUser(ctx);
    const [rows, count] = await this.dataSource.getRepository(OrderEntity).findAndCount({
      where: { channelId: ctx.channel.id, userId: user.id },
      order: { createdDate: 'DESC', id: 'DESC' },
      skip: query.offset,
      take: query.page_size,
    });
    return toPage(rows.map(toOrderResponse), count, query, requestUrl);
  }

  /** One order of the caller; another customer's order is "not found", never "forbidden" (no id probing). */
  async get(ctx: StorefrontRequestContext, idText: string): Promise<OrderResponseDto> {
    const user = this.requireUser(ctx);
    const id = parseOrderId(idText);
    const order =
      id === null
        ? null
        : await this.dataSource
            .getRepository(OrderEntity)
            .findOne({ where: { id, channelId: ctx.channel.id, userId: user.id } });
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
    return toOrderResponse(order);
  }

  private requireUser(ctx: StorefrontRequestContext): NonNullable<StorefrontRequestContext['user']> {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }
}
