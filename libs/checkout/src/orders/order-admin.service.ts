import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { formatAmount, NotFoundError, type Page, toPage } from '@app/common';
import type { Channel } from '@app/identity';
import { LedgerQueryService } from '@app/ledger';
import {
  ORDER_ORDERINGS,
  type OrderAdminDetailResponseDto,
  type OrderAdminListQueryDto,
  type OrderAdminResponseDto,
  type OrderLoyaltyTransactionDto,
} from '../dtos/order.dto';
import { OrderEntity } from '../entities/order.entity';
import { parseOrderId, toOrderResponse } from './order.mapper';

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
    const id = parseOrderId(idText);
    const order =
      id === null
        ? null
        : await this.dataSource
            .getRepository(OrderEntity)
            .findOne({ where: { id, channelId: channel.id }, relations: { user: true } });
    if (!order) throw new NotFoundError('order_not_found', 'checkout.order_not_found');
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
        currency: x.currency,
        created_date: x.created_date.toISOString(),
      }))
      .reverse();
    return Object.assign(toAdminResponse(order), { loyalty_transactions: loyalty });
  }
}

function toAdminResponse(order: OrderEntity): OrderAdminResponseDto {
  return Object.assign(toOrderResponse(order), {
    user: order.userId,
    user_email: order.user?.email ?? null,
    modified_date: order.modifiedDate.toISOString(),
  });
}
