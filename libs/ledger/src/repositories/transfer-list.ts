import { minorFromDecimalText } from '@app/common';
import { SqlParams, sqlRows } from '@app/database';
import type { DataSource } from 'typeorm';
import type { AccountKind } from '../entities/loyalty-account.entity';
import type { TransactionKind } from '../entities/loyalty-transaction.entity';
import type { PageCursor, PageRequest } from '@app/common';
import type { TransferView } from '../services/views';
import { keptCount } from './kept-counts';
import { keysetPage, keysetSql } from './keyset';

/** The filters of the postings list (`GET loyalty_transfer/`, the storefront's history). */
export interface TransferListFilters {
  account?: number;
  user?: number;
  /** Order number. */
  order?: string;
  currency?: string;
  created_from?: Date;
  /** Exclusive. */
  created_to?: Date;
}

interface TransferRow {
  id: number;
  account_id: number;
  account_number: string;
  account_kind: AccountKind;
  user_id: number | null;
  amount: string;
  currency: string;
  balance_after: string | null;
  created_date: Date;
  transaction_uuid: string;
  transaction_kind: TransactionKind;
  order_number: string | null;
  actor_id: number | null;
  transaction_created_date: Date;
}

const COLUMNS = `t."id", t."account_id", a."number" AS "account_number", a."kind" AS "account_kind", a."user_id",
  t."amount"::text AS "amount", t."currency", t."balance_after"::text AS "balance_after", t."created_date",
  x."uuid" AS "transaction_uuid", x."kind" AS "transaction_kind", x."order_number", x."actor_id",
  x."created_date" AS "transaction_created_date"`;

/**
 * The postings list's SQL (docs/ledger.md, "Lists at any size"): every filter is an index range scan in id order
 * (`ix_loyalty_transfer_channel_id`, `_channel_currency`, `_account`), a date range one in created-date order. An owner's postings are the merge of each of
 * their accounts' newest, one range scan per account (an owner has a few accounts), so a customer with a long
 * history costs what one with a short one does. An order's postings come through its transactions (a handful).
 */
export async function transferPage(
  dataSource: DataSource,
  channelId: number,
  filters: TransferListFilters,
  page: PageRequest,
): Promise<{ results: TransferView[]; next: PageCursor | null; previous: PageCursor | null }> {
  const p = new SqlParams();
  const channel = p.add(channelId);
  // A date range over the channel's postings is read in created-date order (newest first, ties by id), the range
  // an index range scan of `_channel_created_id`; an account's or an owner's postings stay in id order, one range
  // scan per account (migration 1765130000000).
  const byDate =
    (filters.created_from !== undefined || filters.created_to !== undefined) &&
    filters.account === undefined &&
    filters.user === undefined;
  const keyset = keysetSql(
    't',
    { column: byDate ? '"created_date"' : undefined, descending: true, table: '"loyalty_transfer"', channel },
    page,
    p.add,
  );
  const where: string[] = [];
  if (filters.account !== undefined) where.push(`t."account_id" = ${p.add(filters.account)}::integer`);
  if (filters.currency !== undefined) where.push(`t."currency" = ${p.add(filters.currency)}::text`);
  if (filters.created_from !== undefined) where.push(`t."created_date" >= ${p.add(filters.created_from)}`);
  if (filters.created_to !== undefined) where.push(`t."created_date" < ${p.add(filters.created_to)}`);
  if (filters.order !== undefined) {
    where.push(`t."transaction_id" IN (SELECT o."id" FROM "loyalty_transaction" o
                 WHERE o."channel_id" = ${channel} AND o."order_number" = ${p.add(filters.order)}::text)`);
  }
  const conditions = where.map((c) => ` AND ${c}`).join('');
  const limit = p.add(keyset.limit);
  const offset = p.add(keyset.offset);
  let source: string;
  if (filters.user !== undefined) {
    // One range scan per account of the owner (in the currency, when given), each cut at the page's end.
    const user = p.add(filters.user);
    const currency = filters.currency === undefined ? '' : ` AND o."currency" = ${p.add(filters.currency)}::text`;
    source = `(SELECT o."id" FROM "loyalty_account" o
                WHERE o."channel_id" = ${channel} AND o."user_id" = ${user}::integer${currency}) owned
              CROSS JOIN LATERAL (
                SELECT t.* FROM "loyalty_transfer" t
                 WHERE t."account_id" = owned."id" AND t."channel_id" = ${channel} ${keyset.bound}${conditions}
                 ORDER BY ${keyset.orderBy} LIMIT ${limit}::integer + ${offset}::integer) t`;
  } else {
    source = `"loyalty_transfer" t`;
  }
  const outerWhere = filters.user !== undefined ? '' : `WHERE t."channel_id" = ${channel} ${keyset.bound}${conditions}`;
  const rows = await sqlRows<TransferRow>(
    dataSource.manager,
    `SELECT ${COLUMNS}
       FROM ${source}
       JOIN "loyalty_account" a ON a."id" = t."account_id"
       JOIN "loyalty_transaction" x ON x."id" = t."transaction_id"
      ${outerWhere}
      ORDER BY ${keyset.orderBy}
      LIMIT ${limit}::integer OFFSET ${offset}::integer`,
    p.values,
  );
  const { rows: kept, next, previous } = keysetPage(rows, page);
  return { results: kept.map(transferView), next, previous };
}

/**
 * The exact count of the list: kept counts (`loyalty_count`, migration 1765090000000) for the list as it is and
 * by account, owner and currency, at most 16 rows read; with an order or a created-date range, a count of the
 * matching postings (an order's are few; a date range costs a scan of the channel's postings in it: docs/ledger.md).
 */
export async function transferCount(
  dataSource: DataSource,
  channelId: number,
  filters: TransferListFilters,
): Promise<number> {
  if (filters.order !== undefined || filters.created_from !== undefined || filters.created_to !== undefined) {
    return countByScan(dataSource, channelId, filters);
  }
  let key: string;
  if (filters.account !== undefined) {
    const [account] = await sqlRows<{ user_id: number | null; currency: string }>(
      dataSource.manager,
      `SELECT "user_id", "currency" FROM "loyalty_account" WHERE "id" = $1 AND "channel_id" = $2`,
      [filters.account, channelId],
    );
    const other =
      !account ||
      (filters.user !== undefined && account.user_id !== filters.user) ||
      (filters.currency !== undefined && account.currency !== filters.currency);
    if (other) return 0;
    key = `a:${filters.account}`;
  } else if (filters.user !== undefined) {
    key = filters.currency === undefined ? `u:${filters.user}` : `u:${filters.user}:${filters.currency}`;
  } else {
    key = filters.currency === undefined ? 'all' : `c:${filters.currency}`;
  }
  return keptCount(dataSource, channelId, 'transfer', key);
}

async function countByScan(dataSource: DataSource, channelId: number, filters: TransferListFilters): Promise<number> {
  const p = new SqlParams();
  const channel = p.add(channelId);
  const where: string[] = [];
  if (filters.account !== undefined) where.push(`t."account_id" = ${p.add(filters.account)}::integer`);
  if (filters.currency !== undefined) where.push(`t."currency" = ${p.add(filters.currency)}::text`);
  if (filters.created_from !== undefined) where.push(`t."created_date" >= ${p.add(filters.created_from)}`);
  if (filters.created_to !== undefined) where.push(`t."created_date" < ${p.add(filters.created_to)}`);
  if (filters.user !== undefined) {
    where.push(`t."account_id" IN (SELECT o."id" FROM "loyalty_account" o
                 WHERE o."channel_id" = ${channel} AND o."user_id" = ${p.add(filters.user)}::integer)`);
  }
  if (filters.order !== undefined) {
    where.push(`t."transaction_id" IN (SELECT o."id" FROM "loyalty_transaction" o
                 WHERE o."channel_id" = ${channel} AND o."order_number" = ${p.add(filters.order)}::text)`);
  }
  const [row] = await sqlRows<{ n: string }>(
    dataSource.manager,
    `SELECT count(*)::text AS "n" FROM "loyalty_transfer" t
      WHERE t."channel_id" = ${channel}${where.map((c) => ` AND ${c}`).join('')}`,
    p.values,
  );
  return Number(row.n);
}

export function transferView(row: TransferRow): TransferView {
  return {
    pk: row.id,
    account: row.account_id,
    account_number: row.account_number,
    account_kind: row.account_kind,
    user: row.user_id,
    amount_minor: minorFromDecimalText(row.amount),
    currency: row.currency,
    balance_after_minor: row.balance_after === null ? null : minorFromDecimalText(row.balance_after),
    created_date: row.created_date,
    transaction: {
      uuid: row.transaction_uuid,
      kind: row.transaction_kind,
      order: row.order_number,
      actor: row.actor_id,
      created_date: row.transaction_created_date,
    },
  };
}

export { COLUMNS as TRANSFER_COLUMNS };
export type { TransferRow };
