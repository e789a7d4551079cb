import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { entityFromJson, entityJsonSql, entityToJson, preparedRows, raisedRefusal, sqlRows } from '@app/database';
import { BasketEntity } from '../entities/basket.entity';
import {
  type CancelReason,
  IN_FLIGHT_STATUSES,
  OrderEntity,
  type OrderStatus,
  type SettleAction,
} from '../entities/order.entity';

/** What the placement statement checks the basket against, and what it takes from stock (checkout_place_order). */
export interface PlacementLines {
  /** Every line as priced: the basket must still hold exactly these. */
  read: { id: number; product_id: number; quantity: number; active: boolean; unit_minor: string | null }[];
  /** What leaves stock, in product id order (so two orders of the same products cannot deadlock on them). */
  sold: { product_id: number; quantity: number }[];
}

/** A staff settlement of an order in payment review, as it is recorded on the order. */
export interface Settlement {
  action: SettleAction;
  reason: string;
  staffId: number;
  at: Date;
}

/**
 * An order's state changes: the placement statement, and each later step as a compare-and-set on the status (the
 * caller that finds the expected status moves the order; a false answer means someone else did), the cancel
 * giving back stock and basket lines in the same transaction.
 */
@Injectable()
export class OrderStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The pending order, its stock taken and the basket emptied, in one statement (`checkout_place_order`, migration
   * 1765070000000) that first takes the basket row's lock and checks the basket is still `lines.read`. Null when
   * it is not; `insufficient_stock` (with what is left) when a product ran out meanwhile.
   */
  async place(
    basketId: number,
    currency: string,
    lines: PlacementLines,
    order: Partial<OrderEntity>,
  ): Promise<OrderEntity | null | { insufficientStock: number }> {
    try {
      const [row] = await preparedRows<{ o: Record<string, unknown> }>(
        this.dataSource,
        'checkout_place_order',
        `SELECT ${entityJsonSql(this.dataSource, OrderEntity, 'o')} AS "o"
           FROM "checkout_place_order"($1, $2, $3::jsonb, $4::jsonb, $5::jsonb) o`,
        [
          basketId,
          currency,
          JSON.stringify(lines.read),
          JSON.stringify(lines.sold),
          entityToJson(this.dataSource, OrderEntity, order),
        ],
      );
      return row ? entityFromJson(this.dataSource, OrderEntity, row.o) : null;
    } catch (error) {
      const refused = raisedRefusal(error, 'CHK00');
      if (refused?.code === 'insufficient_stock') return { insufficientStock: Number(refused.detail ?? 0) };
      throw error;
    }
  }

  /** Moves the order from one of `from` to `to`; true when this caller moved it. */
  async move(orderId: number, from: readonly OrderStatus[], to: OrderStatus): Promise<boolean> {
    const rows = await sqlRows(
      this.dataSource.manager,
      `UPDATE "orders" SET "status" = $2, "modified_date" = now() WHERE "id" = $1 AND "status" = ANY($3) RETURNING "id"`,
      [orderId, to, [...from]],
    );
    return rows.length > 0;
  }

  /** Moves an order in flight to `payment_review` with why; true when this caller moved it. */
  async review(orderId: number, reason: string): Promise<boolean> {
    const rows = await sqlRows(
      this.dataSource.manager,
      `UPDATE "orders" SET "status" = 'payment_review', "review_reason" = $2, "modified_date" = now()
        WHERE "id" = $1 AND "status" = ANY($3) RETURNING "id"`,
      [orderId, reason, [...IN_FLIGHT_STATUSES]],
    );
    return rows.length > 0;
  }

  /**
   * Cancels an order in flight with why, and gives back its stock (and basket lines) in the same transaction;
   * true when this caller cancelled it.
   */
  cancel(order: OrderEntity, reason: CancelReason, detail: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const rows = await sqlRows(
        m,
        `UPDATE "orders" SET "status" = 'cancelled', "cancel_reason" = $2, "cancel_detail" = $3, "modified_date" = now()
          WHERE "id" = $1 AND "status" = ANY($4) RETURNING "id"`,
        [order.id, reason, detail, [...IN_FLIGHT_STATUSES]],
      );
      if (rows.length === 0) return false;
      await giveBack(m, order);
      return true;
    });
  }

  /**
   * Settles an order in `payment_review` as staff decided (recorded with who and when); a cancel gives back its
   * stock and basket lines in the same transaction. False when the order had left `payment_review`.
   */
  settle(order: OrderEntity, settlement: Settlement): Promise<boolean> {
    const cancel = settlement.action === 'cancel';
    return this.dataSource.transaction(async (m) => {
      const rows = await sqlRows(
        m,
        `UPDATE "orders" SET "status" = $2, "settled_action" = $3, "settled_reason" = $4, "settled_by" = $5,
                "settled_at" = $6, "cancel_reason" = $7, "modified_date" = now()
          WHERE "id" = $1 AND "status" = 'payment_review' RETURNING "id"`,
        [
          order.id,
          cancel ? 'cancelled' : 'completed',
          settlement.action,
          settlement.reason,
          settlement.staffId,
          settlement.at,
          cancel ? ('staff_cancelled' satisfies CancelReason) : null,
        ],
      );
      if (rows.length === 0) return false;
      if (cancel) await giveBack(m, order);
      return true;
    });
  }
}

/** Stock, and the basket lines into the user's newest basket (none: stock only), of an order being undone. */
async function giveBack(m: EntityManager, order: OrderEntity): Promise<void> {
  const basket = await m.getRepository(BasketEntity).findOne({
    where: { channelId: order.channelId, userId: order.userId },
    order: { modifiedDate: 'DESC', id: 'DESC' },
  });
  for (const item of order.items) {
    await m.query(`UPDATE "product" SET "stock" = "stock" + $1 WHERE "id" = $2`, [item.quantity, item.product]);
    if (basket) {
      await m.query(
        `INSERT INTO "basket_item" ("basket_id", "product_id", "quantity", "attributes") VALUES ($1, $2, $3, '{}')
          ON CONFLICT ("basket_id", "product_id") DO NOTHING`,
        [basket.id, item.product, item.quantity],
      );
    }
  }
}
