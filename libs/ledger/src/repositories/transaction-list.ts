import { minorFromDecimalText, type MinorUnits, type PageCursor, type PageRequest } from '@app/common';
import { SqlParams, sqlRows } from '@app/database';
import type { DataSource } from 'typeorm';
import type { TransactionKind } from '../entities/loyalty-transaction.entity';
import { keysetPage, keysetSql } from './keyset';
import { keptCount } from './kept-counts';

/** The filters of `GET loyalty-transactions/` (and the order admin's view of an order's money). */
export interface TransactionListFilters {
  uuid?: string;
  order?: string;
  user?: number;
  kind?: TransactionKind;
}

/** A transaction as the lists read it, with the uuid of the transaction it refunds or reverses. */
export interface TransactionRow {
  id: number;
  uuid: string;
  kind: TransactionKind;
  currency: string;
  amount: MinorUnits;
  order_id: number | null;
  order_number: string | null;
  user_id: number | null;
  reference: string | null;
  actor_id: number | null;
  reason: string | null;
  refunded_transaction_uuid: string | null;
  earning_shortfall: MinorUnits;
  created_date: Date;
}

type RawRow = Omit<TransactionRow, 'amount' | 'earning_shortfall'> & { amount: string; earning_shortfall: string };

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One page of transactions newest first: each filter an index range scan in id order (`_channel_id`,
 * `_channel_user`, `_channel_kind`: migration 1765090000000); an order's or a uuid's few rows through their own
 * indexes.
 */
export async function transactionPage(
  dataSource: DataSource,
  channelId: number,
  filters: TransactionListFilters,
  page: PageRequest,
): Promise<{ rows: TransactionRow[]; next: PageCursor | null; previous: PageCursor | null }> {
  if (filters.uuid !== undefined && !UUID_PATTERN.test(filters.uuid)) return { rows: [], next: null, previous: null };
  const p = new SqlParams();
  const channel = p.add(channelId);
  const keyset = keysetSql('x', { descending: true, table: '"loyalty_transaction"', channel }, page, p.add);
  const rows = await sqlRows<RawRow>(
    dataSource.manager,
    `SELECT x."id", x."uuid", x."kind", x."currency", x."amount"::text AS "amount", x."order_id", x."order_number",
            x."user_id", x."reference", x."actor_id", x."reason", r."uuid" AS "refunded_transaction_uuid",
            x."earning_shortfall"::text AS "earning_shortfall", x."created_date"
       FROM "loyalty_transaction" x
       LEFT JOIN "loyalty_transaction" r ON r."id" = x."refunded_transaction_id"
      WHERE x."channel_id" = ${channel}${conditions(filters, p)} ${keyset.bound}
      ORDER BY ${keyset.orderBy}
      LIMIT ${p.add(keyset.limit)}::integer OFFSET ${p.add(keyset.offset)}::integer`,
    p.values,
  );
  const { rows: kept, next, previous } = keysetPage(rows, page);
  return {
    rows: kept.map((row) => ({
      ...row,
      amount: minorFromDecimalText(row.amount),
      earning_shortfall: minorFromDecimalText(row.earning_shortfall),
    })),
    next,
    previous,
  };
}

/** The list's exact count: kept for the channel, a kind, a user and a user's kind; counted for an order or a uuid. */
export async function transactionCount(
  dataSource: DataSource,
  channelId: number,
  filters: TransactionListFilters,
): Promise<number> {
  const { uuid, order, user, kind } = filters;
  if (uuid === undefined && order === undefined) {
    const owner = user === undefined ? '' : `u:${user}`;
    const key = kind === undefined ? owner || 'all' : owner ? `${owner}:k:${kind}` : `k:${kind}`;
    return keptCount(dataSource, channelId, 'transaction', key);
  }
  if (uuid !== undefined && !UUID_PATTERN.test(uuid)) return 0;
  const p = new SqlParams();
  const channel = p.add(channelId);
  const [row] = await sqlRows<{ n: string }>(
    dataSource.manager,
    `SELECT count(*)::text AS "n" FROM "loyalty_transaction" x WHERE x."channel_id" = ${channel}${conditions(filters, p)}`,
    p.values,
  );
  return Number(row.n);
}

function conditions(filters: TransactionListFilters, p: SqlParams): string {
  const where: string[] = [];
  if (filters.uuid !== undefined) where.push(`x."uuid" = ${p.add(filters.uuid.toLowerCase())}::uuid`);
  if (filters.order !== undefined) where.push(`x."order_number" = ${p.add(filters.order)}::text`);
  if (filters.user !== undefined) where.push(`x."user_id" = ${p.add(filters.user)}::integer`);
  if (filters.kind !== undefined) where.push(`x."kind" = ${p.add(filters.kind)}::text`);
  return where.map((c) => ` AND ${c}`).join('');
}
