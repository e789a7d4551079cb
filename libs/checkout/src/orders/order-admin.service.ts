import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, formatAmount, type MinorUnits, NotFoundError, type Page, toPage } from '@app/common';
import { sqlRows } from '@app/database';
import type { Channel } from '@app/identity';
import { LedgerQueryService, LedgerService, RefundCapExceededError } from '@app/ledger';
import {
  ORDER_ORDERINGS,
  type OrderAdminDetailResponseDto,
  type OrderAdminListQueryDto,
  type OrderAdminResponseDto,
  type OrderLoyaltyTransactionDto,
  type OrderPaymentStateDto,
  type OrderSettleDto,
} from '../dtos/order.dto';
import { type CancelReason, OrderEntity } from '../entities/order.entity';
import { OrderNotInReviewError } from '../errors';
import { CardPaymentService } from '../payments/card-payment.service';
import { parseOrderId, toOrderResponse } from './order.mapper';
import { OrderPlacement } from '../placement/order-placement.service';

/** An order's ledger transactions shown in its detail: a payment and its refunds, far fewer in practice. */
export const ORDER_TRANSACTIONS_MAX = 100;

const ORDERING_COLUMNS: Readonly<Record<(typeof ORDER_ORDERINGS)[number], string>> = {
  created_date: 'o.createdDate',
  number: 'o.number',
  total_amount: 'o.totalAmount',
};

/**
 * The back office's view of a channel's orders. Not part of CheckoutModule: it reads the ledger, and the ledger
 * module itself imports CheckoutModule (for its order lookup), so the app that serves it provides it.
 */
@Injectable()
export class OrderAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerQueryService,
    private readonly ledgerWrites: LedgerService,
    private readonly payments: CardPaymentService,
    private readonly placement: OrderPlacement,
    private readonly clock: Clock,
  ) {}

  async list(channel: Channel, query: OrderAdminListQueryDto, requestUrl: URL): Promise<Page<OrderAdminResponseDto>> {
    const builder = this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .leftJoinAndSelect('o.user', 'u')
      .where('o.channelId = :channelId', { channelId: channel.id });
    if (query.number !== undefined) builder.andWhere('o.number = :number', { number: query.number });
    if (query.user !== undefined) builder.andWhere('o.userId = :user', { user: query.user });
    if (query.user_email !== undefined) {
      builder.andWhere('u.emailLower = :email', { email: query.user_email.toLowerCase() });
    }
    if (query.status !== undefined) builder.andWhere('o.status = :status', { status: query.status });
    if (query.created_date__gte !== undefined) {
      builder.andWhere('o.createdDate >= :from', { from: new Date(query.created_date__gte) });
    }
    if (query.created_date__lt !== undefined) {
      builder.andWhere('o.createdDate < :to', { to: new Date(query.created_date__lt) });
    }
    const ordering = query.ordering ?? '-created_date';
    const descending = ordering.startsWith('-');
    const field = (descending ? ordering.slice(1) : ordering) as (typeof ORDER_ORDERINGS)[number];
    const direction = descending ? 'DESC' : 'ASC';
    // The id breaks ties in the same direction, so a page boundary never repeats or skips an order.
    builder
      .orderBy(ORDERING_COLUMNS[field], direction)
      .addOrderBy('o.id', direction)
      .skip(query.offset)
      .take(query.page_size);
    const [rows, count] = await builder.getManyAndCount();
    return toPage(rows.map(toAdminResponse), count, query, requestUrl);
  }

  async get(channel: Channel, idText: string): Promise<OrderAdminDetailResponseDto> {
    const order = await this.find(channel, idText);
    const transactions = await this.ledger.listTransactions(
      channel.id,
      { order: order.number },
      { offset: 0, limit: ORDER_TRANSACTIONS_MAX },
    );
    const loyalty: OrderLoyaltyTransactionDto[] = transactions.results
      .map((x) => ({
        uuid: x.uuid,
        kind: x.kind,
        amount: formatAmount(x.amount_minor),
        earning_shortfall: formatAmount(x.earning_shortfall_minor),
        currency: x.currency,
        created_date: x.created_date.toISOString(),
      }))
      .reverse();
    return Object.assign(toAdminResponse(order), {
      loyalty_transactions: loyalty,
      payment: await this.paymentState(order, loyalty),
    });
  }

  /**
   * Settles an order in `payment_review` (reason required, recorded with the staff user and time).
   * `complete`: staff confirmed with the gateway that the card was charged; the store-credit part is paid
   * (idempotent by order), the order completed, and the card-paid part earns store credit (LOYALTY_EARNING_RATE). `cancel`: an approved card charge is voided, store credit paid for
   * the order is refunded to its owner, and the stock comes back. Either ends with one compare-and-set from
   * `payment_review`, so two staff settling at once cannot both act.
   */
  async settle(
    channel: Channel,
    idText: string,
    dto: OrderSettleDto,
    staffId: number,
  ): Promise<OrderAdminDetailResponseDto> {
    const order = await this.find(channel, idText);
    if (order.status !== 'payment_review') throw new OrderNotInReviewError();
    if (dto.action === 'complete') {
      if (order.loyaltyAmount > 0n) {
        await this.ledgerWrites.payOrder(channel.id, { orderNumber: order.number, amount: order.loyaltyAmount });
      }
    } else {
      await this.payments.void(order.id);
      const payment = await this.ledgerWrites.orderPayment(channel.id, order.number);
      if (payment) await this.refundStoreCredit(channel, payment.transaction_uuid, order.loyaltyAmount, staffId);
    }
    const settled = await this.dataSource.transaction(async (m) => {
      const rows = await sqlRows(
        m,
        `UPDATE "orders" SET "status" = $2, "settled_action" = $3, "settled_reason" = $4, "settled_by" = $5,
                "settled_at" = $6, "cancel_reason" = $7, "modified_date" = now()
          WHERE "id" = $1 AND "status" = 'payment_review' RETURNING "id"`,
        [
          order.id,
          dto.action === 'complete' ? 'completed' : 'cancelled',
          dto.action,
          dto.reason.trim().slice(0, 500),
          staffId,
          this.clock.now(),
          dto.action === 'complete' ? null : ('staff_cancelled' satisfies CancelReason),
        ],
      );
      if (rows.length === 0) return false;
      if (dto.action === 'cancel') await this.placement.giveBack(m, order);
      return true;
    });
    if (!settled) throw new OrderNotInReviewError();
    // Completed by staff as placement would have completed it: the card-paid part earns store credit.
    if (dto.action === 'complete') await this.placement.creditEarning(order);
    return this.get(channel, idText);
  }

  /** Refunds what is left of the order's store-credit payment (staff may have refunded part of it already). */
  private async refundStoreCredit(channel: Channel, uuid: string, amount: MinorUnits, staffId: number): Promise<void> {
    try {
      await this.ledgerWrites.refund(
        channel.id,
        { paymentUuid: uuid, amount, invoiceNumber: null },
        { actorId: staffId },
      );
    } catch (error) {
      if (!(error instanceof RefundCapExceededError)) throw error;
      if (error.available_minor > 0n) await this.refundStoreCredit(channel, uuid, error.available_minor, staffId);
    }
  }

  private async find(channel: Channel, idText: string): Promise<OrderEntity> {
    const id = parseOrderId(idText);
    const order =
      id === null
        ? null
        : await this.dataSource
            .getRepository(OrderEntity)
            .findOne({ where: { id, channelId: channel.id }, relations: { user: true } });
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
    return order;
  }

  private async paymentState(
    order: OrderEntity,
    loyalty: readonly OrderLoyaltyTransactionDto[],
  ): Promise<OrderPaymentStateDto> {
    const charge = await this.payments.recorded(order.id);
    return {
      card_charge: charge && {
        status: charge.status,
        amount: formatAmount(charge.amount),
        reference: charge.reference,
        gateway: charge.gateway,
        decline_reason: charge.declineReason,
      },
      loyalty_payment_uuid: loyalty.find((x) => x.kind === 'order_payment')?.uuid ?? null,
      review_reason: order.reviewReason,
      settlement:
        order.settledAction && order.settledAt && order.settledBy !== null
          ? {
              action: order.settledAction,
              reason: order.settledReason ?? '',
              settled_by: order.settledBy,
              settled_at: order.settledAt.toISOString(),
            }
          : null,
    };
  }
}

function toAdminResponse(order: OrderEntity): OrderAdminResponseDto {
  return Object.assign(toOrderResponse(order), {
    user: order.userId,
    user_email: order.user?.email ?? null,
    modified_date: order.modifiedDate.toISOString(),
    cancel_reason: order.cancelReason,
    cancel_detail: order.cancelDetail,
  });
}
