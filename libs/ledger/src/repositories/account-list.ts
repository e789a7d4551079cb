import type { PageCursor, PageRequest } from '@app/common';
import { SqlParams, sqlRows } from '@app/database';
import type { DataSource } from 'typeorm';
import type { AccountKind, LoyaltyAccount } from '../entities/loyalty-account.entity';
import { accountColumns, type AccountRow, toAccount } from './account-row';
import { keysetPage, keysetSql } from './keyset';
import { keptCount } from './kept-counts';

/** `ordering` values of the account list; a leading '-' sorts descending. */
export const ACCOUNT_ORDERINGS = ['pk', 'created_date', 'modified_date', 'balance', 'number'] as const;
export type AccountOrdering = (typeof ACCOUNT_ORDERINGS)[number];

/**
 * The column behind each ordering (ties by id). pk, created_date and number have an index each
 * (migration 1765090000000); balance and modified_date do not, on purpose: an index on either makes every balance
 * change a non-HOT update of all the table's indexes, so those two orderings sort the channel's accounts, a cost
 * that grows with the number of accounts, never with history (docs/ledger.md, "Lists at any size").
 */
const ORDER_COLUMNS: Record<AccountOrdering, string | undefined> = {
  pk: undefined,
  created_date: '"created_date"',
  modified_date: '"modified_date"',
  balance: '"balance"',
  number: '"number"',
};

/** The filters of `GET loyalty_account/` (an e-mail is resolved to its users' ids before). */
export interface AccountListQuery {
  user?: number;
  /** The owners an e-mail filter found. */
  users?: number[];
  currency?: string;
  number?: string;
  kind?: AccountKind;
}

/** One page of the account list, by keyset from a cursor or by OFFSET from a page number. */
export async function accountPage(
  dataSource: DataSource,
  channelId: number,
  filters: AccountListQuery,
  ordering: { field: AccountOrdering; descending: boolean },
  page: PageRequest,
): Promise<{ rows: LoyaltyAccount[]; next: PageCursor | null; previous: PageCursor | null }> {
  const p = new SqlParams();
  const channel = p.add(channelId);
  const keyset = keysetSql(
    'a',
    { column: ORDER_COLUMNS[ordering.field], descending: ordering.descending, table: '"loyalty_account"', channel },
    page,
    p.add,
  );
  const rows = await sqlRows<AccountRow>(
    dataSource.manager,
    `SELECT ${accountColumns('a')}
       FROM "loyalty_account" a
      WHERE a."channel_id" = ${channel}${conditions(filters, p)} ${keyset.bound}
      ORDER BY ${keyset.orderBy}
      LIMIT ${p.add(keyset.limit)}::integer OFFSET ${p.add(keyset.offset)}::integer`,
    p.values,
  );
  const { rows: kept, next, previous } = keysetPage(rows, page);
  return { rows: kept.map(toAccount), next, previous };
}

/**
 * The list's exact count: kept (`loyalty_count`) for the channel, a currency or a kind; counted for an owner, an
 * e-mail's owners or a number, which select a handful of accounts through their indexes.
 */
export async function accountCount(
  dataSource: DataSource,
  channelId: number,
  filters: AccountListQuery,
): Promise<number> {
  const { user, users, currency, number, kind } = filters;
  if (user === undefined && users === undefined && number === undefined) {
    if (currency === undefined && kind === undefined) return keptCount(dataSource, channelId, 'account', 'all');
    if (kind === undefined) return keptCount(dataSource, channelId, 'account', `c:${currency}`);
    if (currency === undefined) return keptCount(dataSource, channelId, 'account', `k:${kind}`);
  }
  const p = new SqlParams();
  const channel = p.add(channelId);
  const [row] = await sqlRows<{ n: string }>(
    dataSource.manager,
    `SELECT count(*)::text AS "n" FROM "loyalty_account" a WHERE a."channel_id" = ${channel}${conditions(filters, p)}`,
    p.values,
  );
  return Number(row.n);
}

function conditions(filters: AccountListQuery, p: SqlParams): string {
  const where: string[] = [];
  if (filters.user !== undefined) where.push(`a."user_id" = ${p.add(filters.user)}::integer`);
  if (filters.users !== undefined) where.push(`a."user_id" = ANY(${p.add(filters.users)}::integer[])`);
  if (filters.currency !== undefined) where.push(`a."currency" = ${p.add(filters.currency)}::text`);
  if (filters.number !== undefined) where.push(`a."number" = ${p.add(filters.number)}::text`);
  if (filters.kind !== undefined) where.push(`a."kind" = ${p.add(filters.kind)}::text`);
  return where.map((c) => ` AND ${c}`).join('');
}
