import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import { entityFromJson, entityJsonSql, type ReadPart, readTogether } from '@app/database';
import { ATTEMPT_CANCEL_REASONS, OrderEntity } from '../entities/order.entity';

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

/** The reads of placed orders the storefront answers with (order history, thank-you page, repeated final posts). */
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
}
