import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { message } from '../validation/validation';

export const PAGE_SIZE_DEFAULT = 10;
export const PAGE_SIZE_MAX = 100;
/** Deep pages are refused: offsets beyond this cost the database more than any client needs. */
export const PAGE_MAX = 10_000;

/** `?page=&page_size=`, as the contract's paginated lists take them. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_MAX, default: 1, description: 'Page number (starts from 1)' })
  @IsOptional()
  @Type(() => Number)
  // One message about the page for anything that is not one (`abc`, `0`, past the last), as the platform says it.
  @IsInt({ message: message('validation.page_invalid', { max: PAGE_MAX }) })
  @Min(1, { message: message('validation.page_invalid', { max: PAGE_MAX }) })
  @Max(PAGE_MAX, { message: message('validation.page_invalid', { max: PAGE_MAX }) })
  page: number = 1;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: PAGE_SIZE_MAX,
    default: PAGE_SIZE_DEFAULT,
    description: `Records per page; more than ${PAGE_SIZE_MAX} is read as ${PAGE_SIZE_MAX}`,
  })
  @IsOptional()
  @Type(() => Number)
  // Clamped, not refused, as the platform's pagination does: a client asking for more simply gets the maximum.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'number' && value > PAGE_SIZE_MAX ? PAGE_SIZE_MAX : value,
  )
  @IsInt()
  @Min(1, { message: message('validation.min', { min: 1 }) })
  page_size: number = PAGE_SIZE_DEFAULT;

  get offset(): number {
    return (this.page - 1) * this.page_size;
  }
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * Builds the contract's `{count, next, previous, results}`; `next`/`previous` are absolute URLs of the same
 * request with only `page` changed, so every other filter is kept.
 */
export function toPage<T>(results: T[], count: number, query: PageQueryDto, requestUrl: URL): Page<T> {
  const link = (page: number): string => {
    const url = new URL(requestUrl.toString());
    url.searchParams.set('page', String(page));
    return url.toString();
  };
  const hasNext = query.offset + results.length < count;
  return {
    count,
    next: hasNext ? link(query.page + 1) : null,
    previous: query.page > 1 ? link(query.page - 1) : null,
    results,
  };
}
