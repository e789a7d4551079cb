import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type MinorUnits, minorFromDecimalText } from '@app/common';
import { type ReadPart, readTogether, sqlRows } from '@app/database';
import type { PageRequest } from '../services/views';
import { type AccountListQuery, type AccountOrdering, accountCount, accountPage } from './account-list';
import { transactionCount, type TransactionListFilters, transactionPage } from './transaction-list';
import {
  TRANSFER_COLUMNS,
  transferCount,
  type TransferListFilters,
  transferPage,
  type TransferRow,
} from './transfer-list';

/**
 * The sum of a user's customer and invoice accounts in one currency (0 when there are none), as one part of a
 * statement that reads several things at once (`readTogether`): the checkout pages read it with the basket.
 */
export function userBalancePart(channelId: number, userId: number, currency: string): ReadPart<MinorUnits> {
  return {
    sql: (arg) =>
      `SELECT coalesce(sum("balance"), 0)::text FROM "loyalty_account"
        WHERE "channel_id" = ${arg(channelId)}::integer AND "user_id" = ${arg(userId)}::integer
          AND "currency" = ${arg(currency)}::text AND "kind" IN ('customer', 'invoice')`,
    map: (total) => minorFromDecimalText(typeof total === 'string' ? total : '0'),
  };
}

/**
 * The ledger's lists and reads on the app's pool: postings, transactions (and their postings), accounts, a user's
 * balance. Each list is a page and an exact count, neither growing with history (docs/ledger.md).
 */
@Injectable()
export class LedgerListRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transferPage(channelId: number, filters: TransferListFilters, page: PageRequest) {
    return transferPage(this.dataSource, channelId, filters, page);
  }

  transferCount(channelId: number, filters: TransferListFilters): Promise<number> {
    return transferCount(this.dataSource, channelId, filters);
  }

  transactionPage(channelId: number, filters: TransactionListFilters, page: PageRequest) {
    return transactionPage(this.dataSource, channelId, filters, page);
  }

  transactionCount(channelId: number, filters: TransactionListFilters): Promise<number> {
    return transactionCount(this.dataSource, channelId, filters);
  }

  accountPage(
    channelId: number,
    filters: AccountListQuery,
    ordering: { field: AccountOrdering; descending: boolean },
    page: PageRequest,
  ) {
    return accountPage(this.dataSource, channelId, filters, ordering, page);
  }

  accountCount(channelId: number, filters: AccountListQuery): Promise<number> {
    return accountCount(this.dataSource, channelId, filters);
  }

  /** The sum of a user's customer and invoice accounts in one currency (userBalancePart on its own). */
  async userBalance(channelId: number, userId: number, currency: string): Promise<MinorUnits> {
    return (await readTogether(this.dataSource, { balance: userBalancePart(channelId, userId, currency) })).balance;
  }

  /** The postings of the channel's transactions `ids`, oldest first, each with its transaction's id. */
  postingsOf(channelId: number, ids: readonly number[]): Promise<(TransferRow & { transaction_id: number })[]> {
    return sqlRows<TransferRow & { transaction_id: number }>(
      this.dataSource.manager,
      `SELECT ${TRANSFER_COLUMNS}, t."transaction_id"
         FROM "loyalty_transfer" t
         JOIN "loyalty_account" a ON a."id" = t."account_id"
         JOIN "loyalty_transaction" x ON x."id" = t."transaction_id"
        WHERE t."transaction_id" = ANY($1::bigint[]) AND t."channel_id" = $2
        ORDER BY t."id"`,
      [ids, channelId],
    );
  }
}
