import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { entityFromJson, entityJsonSql, type ReadPart, readTogether } from '@app/database';
import { ATTEMPT_CANCEL_REASONS, IN_FLIGHT_STATUSES, OrderEntity, type OrderStatus } from '../entities/order.entity';

/**
 * A customer's latest order, whatever its state (null when they have none), as a part of one statement
 * (`readTogether`): the final checkout page reads it with the basket, under the placement lease.
 */
export function latestOrderPart(
  dataSource: DataSource,
  channelId: number,
  userId: number,
): ReadPart<OrderEntity | null> {
  return {
    sql: (arg) =>
      // The row is chosen first and only then turned into json: projecting in the same SELECT built the json of
      // every order of the customer before the sort kept one (the final page's read grew with the order history).
      // orders_user_latest_idx answers the inner SELECT with one index entry.
      `SELECT ${entityJsonSql(dataSource, OrderEntity, 'o')} FROM (
         SELECT * FROM "orders"
          WHERE "channel_id" = ${arg(channelId)}::integer AND "user_id" = ${arg(userId)}::integer
          ORDER BY "id" DESC LIMIT 1) o`,
    map: (value) => (value === null ? null : entityFromJson(dataSource, OrderEntity, value as Record<string, unknown>)),
  };
}

/** The back office's order list filters (each left out when undefined). */
export interface OrderAdminFilter {
  number?: string;
  userId?: number;
  /** The owner's e-mail, any case. */
  userEmail?: string;
  status?: OrderStatus;
  createdFrom?: Date;
  createdBefore?: Date;
}

/** What the back office's order list can be ordered by. */
export type OrderAdminOrdering = 'created_date' | 'number' | 'total_amount';

const ORDERING_COLUMNS: Readonly<Record<OrderAdminOrdering, string>> = {
  created_date: 'o.createdDate',
  number: 'o.number',
  total_amount: 'o.totalAmount',
};

/**
 * The reads of orders: those the storefront answers with (order history, thank-you page, repeated final posts),
 * the ledger's look-up, the recovery worker's and the back office's.
 */
@Injectable()
export class OrderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's order of the channel with this number; null when there is none or it is someone else's. */
  ofUser(channelId: number, userId: number, number: string): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOne({ where: { channelId, number, userId } });
  }

  /** The user's latest order, whatever its state (latestOrderPart on its own). */
  async latestOf(channelId: number, userId: number): Promise<OrderEntity | null> {
    return (await readTogether(this.dataSource, { latest: latestOrderPart(this.dataSource, channelId, userId) }))
      .latest;
  }

  /**
   * A page of the orders the customer placed, newest first; the id breaks ties so pages never overlap when two
   * orders share a timestamp. Failed attempts are left out (placedBy).
   */
  historyPage(channelId: number, userId: number, offset: number, limit: number): Promise<[OrderEntity[], number]> {
    return this.placedBy(channelId, userId)
      .orderBy('o.createdDate', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .skip(offset)
      .take(limit)
      .getManyAndCount();
  }

  /** One order the customer placed, by pk; null when there is none (or it is a failed attempt, or someone else's). */
  placedById(channelId: number, userId: number, id: number): Promise<OrderEntity | null> {
    return this.placedBy(channelId, userId).andWhere('o.id = :id', { id }).getOne();
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

  /** The order as it is now (another runner may have moved it); null when there is none. */
  byId(id: number): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOneBy({ id });
  }

  /** The channel's order with this number; null when there is none. */
  byNumber(channelId: number, number: string): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOne({ where: { channelId, number } });
  }

  /** Orders still in flight, unchanged for `graceMs` or more, the longest-waiting first, at most `limit`. */
  stuck(graceMs: number, limit: number): Promise<OrderEntity[]> {
    return this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where('o.status IN (:...statuses)', { statuses: [...IN_FLIGHT_STATUSES] })
      .andWhere(`o.modified_date <= now() - make_interval(secs => :grace)`, { grace: graceMs / 1000 })
      .orderBy('o.modified_date', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * A page of the channel's orders with their owners, filtered and ordered; the id breaks ties in the same
   * direction, so a page boundary never repeats or skips an order. And the count.
   */
  adminPage(
    channelId: number,
    filter: OrderAdminFilter,
    ordering: { by: OrderAdminOrdering; descending: boolean },
    offset: number,
    limit: number,
  ): Promise<[OrderEntity[], number]> {
    const builder = this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.user', 'u')
      .where('o.channelId = :channelId', { channelId });
    if (filter.number !== undefined) builder.andWhere('o.number = :number', { number: filter.number });
    if (filter.userId !== undefined) builder.andWhere('o.userId = :user', { user: filter.userId });
    if (filter.userEmail !== undefined) {
      builder.andWhere('u.emailLower = :email', { email: filter.userEmail.toLowerCase() });
    }
    if (filter.status !== undefined) builder.andWhere('o.status = :status', { status: filter.status });
    if (filter.createdFrom !== undefined) builder.andWhere('o.createdDate >= :from', { from: filter.createdFrom });
    if (filter.createdBefore !== undefined) builder.andWhere('o.createdDate < :to', { to: filter.createdBefore });
    const direction = ordering.descending ? 'DESC' : 'ASC';
    return builder
      .orderBy(ORDERING_COLUMNS[ordering.by], direction)
      .addOrderBy('o.id', direction)
      .skip(offset)
      .take(limit)
      .getManyAndCount();
  }

  /** The channel's order by pk with its owner; null when there is none. */
  adminById(channelId: number, id: number): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOne({ where: { id, channelId }, relations: { user: true } });
  }
}
