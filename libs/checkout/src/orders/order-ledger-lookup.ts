import { Injectable } from '@nestjs/common';
import type { LedgerOrder, LedgerOrderLookup } from '@app/ledger';
import type { OrderEntity } from '../entities/order.entity';
import { OrderRepository } from '../repositories/order.repository';
import { isOrderNumber } from './order-number';

/**
 * The ledger's view of checkout orders (the `LEDGER_ORDER_LOOKUP` port), wired once for both apps by
 * `ledgerModuleForApps` (`ledger-wiring.ts`). Cancelled orders are not found, so nothing can be paid against them.
 */
@Injectable()
export class OrderLedgerLookup implements LedgerOrderLookup {
  constructor(private readonly orders: OrderRepository) {}

  async findByNumber(channelId: number, orderNumber: string): Promise<LedgerOrder | null> {
    if (!isOrderNumber(orderNumber)) return null;
    const order = await this.orders.byNumber(channelId, orderNumber);
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
