import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { LedgerOrder, LedgerOrderLookup } from '@app/ledger';
import { OrderEntity } from '../entities/order.entity';
import { isOrderNumber } from './order-number';

/**
 * The ledger's view of checkout orders (the `LEDGER_ORDER_LOOKUP` port): wire it with
 * `LedgerModule.forRoot({ orders: { useClass: OrderLedgerLookup }, ... })`. Cancelled orders are not found, so
 * nothing can be paid against them.
 */
@Injectable()
export class OrderLedgerLookup implements LedgerOrderLookup {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByNumber(channelId: number, orderNumber: string): Promise<LedgerOrder | null> {
    if (!isOrderNumber(orderNumber)) return null;
    const order = await this.dataSource
      .getRepository(OrderEntity)
      .findOne({ where: { channelId, number: orderNumber } });
    if (!order || order.status === 'cancelled') return null;
    return toLedgerOrder(order);
  }
}

/** An order as the ledger sees it. */
export function toLedgerOrder(order: OrderEntity): LedgerOrder {
  return {
    pk: order.id,
    number: order.number,
    user_id: order.userId,
    currency: order.currency,
    total_minor: order.totalAmount,
  };
}
