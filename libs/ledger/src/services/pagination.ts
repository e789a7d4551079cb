import { PAGE_MAX, PAGE_SIZE_MAX } from '@app/common';
import { PageOutOfRangeError } from '../errors';
import type { PageRequest } from './views';

/** Bounds every list query: at most PAGE_SIZE_MAX rows, no deeper than PAGE_MAX pages. */
export function checkPage(page: PageRequest): PageRequest {
  const { offset, limit } = page;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE_MAX)
    throw new PageOutOfRangeError('size', PAGE_SIZE_MAX);
  if (!Number.isInteger(offset) || offset < 0 || offset > PAGE_MAX * PAGE_SIZE_MAX) {
    throw new PageOutOfRangeError('depth', PAGE_MAX);
  }
  return page;
}
