import type { DataSource } from 'typeorm';
import { entityFromJson, entityJsonSql, type ReadPart } from '@app/database';
import { OrderEntity } from '../entities/order.entity';

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
      `SELECT ${entityJsonSql(dataSource, OrderEntity, 'o')} FROM "orders" o
        WHERE o."channel_id" = ${arg(channelId)}::integer AND o."user_id" = ${arg(userId)}::integer
        ORDER BY o."id" DESC LIMIT 1`,
    map: (value) => (value === null ? null : entityFromJson(dataSource, OrderEntity, value as Record<string, unknown>)),
  };
}
