import type { PageCursor, PageRequest } from '@app/common';

/*
 * Keyset paging (docs/ledger.md, "Lists at any size"): the page at a cursor is an index range scan from the
 * cursor's row, however deep; a page number is an OFFSET, bounded by PAGE_MAX.
 */

/** How a list is ordered: by `column` of the rows' table (ties, and the default, by id), ascending or not. */
export interface KeysetOrder {
  /** A column of `table` (quoted), or undefined for the id alone. */
  column?: string;
  descending: boolean;
  /** The rows' table: a cursor names a row of it, whose `column` value is read by id. */
  table: string;
  /** The placeholder of the channel: a cursor's row is read only from the channel listed (no other's values). */
  channel: string;
}

/** The SQL of one page: the cursor's bound, the order and the limits, for rows aliased `alias`. */
export interface KeysetSql {
  /** `AND <bound>`, or '' without a cursor. */
  bound: string;
  /** `ORDER BY` terms: the list's order, reversed for a page before a cursor (read backwards, then turned). */
  orderBy: string;
  /** One row more than the page, to know whether there is another page beyond it. */
  limit: number;
  offset: number;
}

/** The page's bound, order and limits; `param` adds a statement parameter and returns its placeholder. */
export function keysetSql(
  alias: string,
  order: KeysetOrder,
  page: PageRequest,
  param: (value: unknown) => string,
): KeysetSql {
  const { cursor } = page;
  const backwards = cursor?.direction === 'before';
  // Reading forwards in ascending order, the rows after a cursor are the greater ones.
  const ascending = order.descending === backwards;
  const direction = ascending ? 'ASC' : 'DESC';
  const orderBy = order.column
    ? `${alias}.${order.column} ${direction}, ${alias}."id" ${direction}`
    : `${alias}."id" ${direction}`;
  if (!cursor) return { bound: '', orderBy, limit: page.limit + 1, offset: page.offset };
  const op = `${ascending ? '>' : '<'}${cursor.inclusive ? '=' : ''}`;
  const id = `${param(cursor.id)}::bigint`;
  const bound = order.column
    ? `AND (${alias}.${order.column}, ${alias}."id") ${op} (SELECT k.${order.column}, k."id" FROM ${order.table} k WHERE k."id" = ${id} AND k."channel_id" = ${order.channel})`
    : `AND ${alias}."id" ${op} ${id}`;
  return { bound, orderBy, limit: page.limit + 1, offset: 0 };
}

/** The page's rows in the list's order, and the cursors of the pages before and after it (null at either end). */
export function keysetPage<T extends { id: number }>(
  rows: T[],
  page: PageRequest,
): { rows: T[]; next: PageCursor | null; previous: PageCursor | null } {
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const { cursor } = page;
  const first = kept[0]?.id;
  const last = kept[kept.length - 1]?.id;
  // At a cursor with nothing on that side: the neighbour is everything on the other side, the cursor's row too.
  const across = (direction: PageCursor['direction']): PageCursor | null =>
    cursor ? { direction, id: cursor.id, ...(cursor.inclusive ? {} : { inclusive: true }) } : null;
  if (cursor?.direction === 'before') {
    kept.reverse();
    return {
      rows: kept,
      previous: more && last !== undefined ? { direction: 'before', id: last } : null,
      next: first !== undefined ? { direction: 'after', id: first } : across('after'),
    };
  }
  return {
    rows: kept,
    next: more && last !== undefined ? { direction: 'after', id: last } : null,
    // A numbered page past the end has no row to start from: the edge links the page number before it.
    previous:
      first !== undefined && (cursor || page.offset > 0) ? { direction: 'before', id: first } : across('before'),
  };
}
