import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min, ValidateBy } from 'class-validator';
import { message } from '../validation/validation';
import { CURSOR_LENGTH_MAX, decodeCursor, encodeCursor, type PageCursors, type PageRequest } from './cursor';

export const PAGE_SIZE_DEFAULT = 10;
export const PAGE_SIZE_MAX = 100;
/** Deep pages are refused: offsets beyond this cost the database more than any client needs. */
export const PAGE_MAX = 10_000;

/**
 * `?page=`: a page number from 1 to PAGE_MAX. One message about the page for anything that is not one (`abc`, `0`,
 * past the last), as the platform says it. Every paginated list's query takes it.
 */
export function PageNumberParam(): PropertyDecorator {
  const invalid = { message: message('validation.page_invalid', { max: PAGE_MAX }) };
  return applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: PAGE_MAX, default: 1, description: 'Page number (starts from 1)' }),
    IsOptional(),
    Type(() => Number),
    IsInt(invalid),
    Min(1, invalid),
    Max(PAGE_MAX, invalid),
  );
}

/**
 * `?page_size=`: records per page, from 1. More than `max` is clamped, not refused, as the platform's pagination
 * does: a client asking for more simply gets the maximum. Every paginated list's query takes it.
 */
export function PageSizeParam(max: number, defaultSize: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      minimum: 1,
      maximum: max,
      default: defaultSize,
      description: `Records per page; more than ${max} is read as ${max}`,
    }),
    IsOptional(),
    Type(() => Number),
    Transform(({ value }: { value: unknown }) => (typeof value === 'number' && value > max ? max : value)),
    IsInt(),
    Min(1, { message: message('validation.min', { min: 1 }) }),
  );
}

/** `?page=&page_size=`, as the contract's paginated lists take them. */
export class PageQueryDto {
  @PageNumberParam()
  page: number = 1;

  @PageSizeParam(PAGE_SIZE_MAX, PAGE_SIZE_DEFAULT)
  page_size: number = PAGE_SIZE_DEFAULT;

  get offset(): number {
    return (this.page - 1) * this.page_size;
  }
}

/** `?cursor=` beside `?page=&page_size=`, for the lists that page by keyset (the ledger's). */
export class CursorPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    maxLength: CURSOR_LENGTH_MAX,
    description: 'Where the page starts, as the `next` and `previous` links give it; `page` is ignored with it',
  })
  @IsOptional()
  @ValidateBy(
    { name: 'isPageCursor', validator: { validate: (value: unknown) => decodeCursor(value) !== null } },
    { message: message('validation.cursor_invalid') },
  )
  cursor?: string;
}

/** The page a list query asks for. */
export function pageRequest(query: PageQueryDto & { cursor?: string }): PageRequest {
  const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor);
  return { offset: query.offset, limit: query.page_size, ...(cursor ? { cursor } : {}) };
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * Builds the contract's `{count, next, previous, results}`; `next`/`previous` are absolute URLs of the same
 * request with only the page changed, so every other filter is kept. A keyset list gives its `cursors`: the links
 * then carry `cursor` instead of `page` (a page number asked for still gets a numbered `previous` past the end).
 */
export function toPage<T>(
  results: T[],
  count: number,
  query: PageQueryDto & { cursor?: string },
  requestUrl: URL,
  cursors?: PageCursors,
): Page<T> {
  const link = (set: { page: number } | { cursor: string }): string => {
    const url = new URL(requestUrl.toString());
    url.searchParams.delete('page');
    url.searchParams.delete('cursor');
    if ('page' in set) url.searchParams.set('page', String(set.page));
    else url.searchParams.set('cursor', set.cursor);
    return url.toString();
  };
  if (cursors) {
    const numbered = query.cursor === undefined && query.page > 1;
    return {
      count,
      next: cursors.next ? link({ cursor: encodeCursor(cursors.next) }) : null,
      previous: cursors.previous
        ? link({ cursor: encodeCursor(cursors.previous) })
        : numbered
          ? link({ page: query.page - 1 })
          : null,
      results,
    };
  }
  const hasNext = query.offset + results.length < count;
  return {
    count,
    next: hasNext ? link({ page: query.page + 1 }) : null,
    previous: query.page > 1 ? link({ page: query.page - 1 }) : null,
    results,
  };
}
