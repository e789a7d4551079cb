import type { PageCursor, PageRequest } from '../services/views';

/*
 * Keyset paging of a list ordered newest first by id (postings, transactions): a page after a cursor is an index
 * range scan from the cursor's id, however deep; a page number is an OFFSET, bounded by PAGE_MAX (docs/ledger.md,
 * "Lists at any size").
 */

/** The SQL of one page: the id bound, the order and the limits, for rows aliased `alias`. */
export interface KeysetSql {
  /** `AND <alias>."id" < $n` (or `>`), or '' without a cursor. */
  bound: string;
  /** `DESC`, or `ASC` for a page newer than a cursor (read backwards, then reversed). */
  order: 'DESC' | 'ASC';
  /** One row more than the page, to know whether there is another page beyond it. */
  limit: number;
  offset: number;
}

/** The page's bound, order and limits; `param` adds the cursor's id as a statement parameter. */
export function keysetSql(alias: string, page: PageRequest, param: (value: unknown) => string): KeysetSql {
  const { cursor } = page;
  if (!cursor) return { bound: '', order: 'DESC', limit: page.limit + 1, offset: page.offset };
  const op = cursor.direction === 'older' ? '<' : '>';
  return {
    bound: `AND ${alias}."id" ${op} ${param(cursor.id)}`,
    order: cursor.direction === 'older' ? 'DESC' : 'ASC',
    limit: page.limit + 1,
    offset: 0,
  };
}

/** The page's rows newest first, and the cursors of the pages before and after it (null at either end). */
export function keysetPage<T extends { id: number }>(
  rows: T[],
  page: PageRequest,
): { rows: T[]; next: PageCursor | null; previous: PageCursor | null } {
  const more = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  const { cursor } = page;
  if (cursor?.direction === 'newer') {
    kept.reverse();
    return {
      rows: kept,
      previous: more ? { direction: 'newer', id: kept[0].id } : null,
      next: { direction: 'older', id: kept.length > 0 ? kept[kept.length - 1].id : cursor.id + 1 },
    };
  }
  const first = kept[0]?.id;
  const last = kept[kept.length - 1]?.id;
  const hasPrevious = cursor !== undefined || page.offset > 0;
  return {
    rows: kept,
    next: more && last !== undefined ? { direction: 'older', id: last } : null,
    previous: hasPrevious
      ? { direction: 'newer', id: first ?? (cursor ? cursor.id - 1 : Number.MAX_SAFE_INTEGER) }
      : null,
  };
}
