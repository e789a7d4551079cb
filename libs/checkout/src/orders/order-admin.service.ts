import { Injectable } from '@nestjs/common';
import { Clock, idFromText, type MinorUnits, type Page, toPage } from '@app/common';
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
import { type OrderEntity, SETTLED_REASON_LENGTH_MAX, type SettleAction } from '../entities/order.entity';
import { CheckoutOrderNotFoundError, OrderNotInReviewError } from '../errors';
import { CardPaymentService } from '../payments/card-payment.service';
import { toOrderAdminResponse, toOrderLoyaltyTransaction, toOrderPaymentState } from '../checkout.mapper';
import { OrderPayment } from '../placement/order-payment.service';
import { OrderRepository } from '../repositories/order.repository';
import { OrderStateRepository } from '../repositories/order-state.repository';

/** An order's ledger transactions shown in its detail: a payment and its refunds, far fewer in practice. */
export const ORDER_TRANSACTIONS_MAX = 100;

/**
 * The back office's view of a channel's orders. Not part of CheckoutModule: it reads the ledger, and the ledger
 * module itself imports CheckoutModule (for its order lookup), so the app that serves it provides it.
 */
@Injectable()
export class OrderAdminService {
  constructor(
    private readonly orders: OrderRepository,
    private readonly states: OrderStateRepository,
    private readonly ledger: LedgerQueryService,
    private readonly ledgerWrites: LedgerService,
    private readonly payments: CardPaymentService,
    private readonly payment: OrderPayment,
    private readonly clock: Clock,
  ) {}

  async list(channel: Channel, query: OrderAdminListQueryDto, requestUrl: URL): Promise<Page<OrderAdminResponseDto>> {
    const ordering = query.ordering ?? '-created_date';
    const descending = ordering.startsWith('-');
    const by = (descending ? ordering.slice(1) : ordering) as (typeof ORDER_ORDERINGS)[number];
    const filter = {
      number: query.number,
      userId: query.user,
      userEmail: query.user_email,
      status: query.status,
      createdFrom: query.created_date__gte === undefined ? undefined : new Date(query.created_date__gte),
      createdBefore: query.created_date__lt === undefined ? undefined : new Date(query.created_date__lt),
    };
    const [rows, count] = await this.orders.adminPage(
      channel.id,
      filter,
      { by, descending },
      query.offset,
      query.page_size,
    );
    return toPage(rows.map(toOrderAdminResponse), count, query, requestUrl);
  }

  async get(channel: Channel, idText: string): Promise<OrderAdminDetailResponseDto> {
    const order = await this.find(channel, idText);
    const transactions = await this.ledger.listTransactions(
      channel.id,
      { order: order.number },
      { offset: 0, limit: ORDER_TRANSACTIONS_MAX },
    );
    const loyalty = transactions.results.map(toOrderLoyaltyTransaction).reverse();
    return Object.assign(toOrderAdminResponse(order), {
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
    const settled = await this.states.settle(order, {
      action: dto.action as SettleAction,
      reason: dto.reason.trim().slice(0, SETTLED_REASON_LENGTH_MAX),
      staffId,
      at: this.clock.now(),
    });
    if (!settled) throw new OrderNotInReviewError();
    // Completed by staff as placement would have completed it: the card-paid part earns store credit.
    if (dto.action === 'complete') await this.payment.creditEarning(order);
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
    const id = idFromText(idText);
    const order = id === null ? null : await this.orders.adminById(channel.id, id);
    if (!order) throw new CheckoutOrderNotFoundError();
    return order;
  }

  private async paymentState(
    order: OrderEntity,
    loyalty: readonly OrderLoyaltyTransactionDto[],
  ): Promise<OrderPaymentStateDto> {
    return toOrderPaymentState(order, await this.payments.recorded(order.id), loyalty);
  }
}
