/**
 * Where a keyset page starts: the rows after (or before) the row `id` in the list's order, that row itself
 * included when `inclusive`. Following a cursor is an index range scan from that row, however deep the page
 * (docs/ledger.md, "Lists at any size"); a page number is an OFFSET, bounded by PAGE_MAX.
 */
export interface PageCursor {
  direction: 'after' | 'before';
  id: number;
  inclusive?: boolean;
}

/** What a list query is asked for: a page by number (`offset`), or the page at a cursor (`offset` ignored). */
export interface PageRequest {
  offset: number;
  limit: number;
  cursor?: PageCursor;
}

/** A cursor token is short; anything longer is not one of ours. */
export const CURSOR_LENGTH_MAX = 64;

/** The token in the `cursor` query parameter: base64url of `a<id>`, `b<id>`, or with `=` (inclusive) `a=<id>`. */
export function encodeCursor(cursor: PageCursor): string {
  const text = `${cursor.direction === 'after' ? 'a' : 'b'}${cursor.inclusive ? '=' : ''}${cursor.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

const CURSOR_TEXT = /^([ab])(=?)([1-9][0-9]{0,15})$/;

/** The cursor a token names, or null for anything that is not a token `encodeCursor` makes. */
export function decodeCursor(token: unknown): PageCursor | null {
  if (typeof token !== 'string' || token.length === 0 || token.length > CURSOR_LENGTH_MAX) return null;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return null;
  const match = CURSOR_TEXT.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) return null;
  const id = Number(match[3]);
  if (!Number.isSafeInteger(id)) return null;
  return { direction: match[1] === 'a' ? 'after' : 'before', id, ...(match[2] ? { inclusive: true } : {}) };
}

/** A keyset page's neighbours, null at either end. */
export interface PageCursors {
  next: PageCursor | null;
  previous: PageCursor | null;
}
