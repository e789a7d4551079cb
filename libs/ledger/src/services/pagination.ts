import { PAGE_MAX, PAGE_SIZE_MAX, ValidationFailedError } from '@app/common';
import type { PageRequest } from './views';

/** Bounds every list query: at most PAGE_SIZE_MAX rows, no deeper than PAGE_MAX pages. */
export function checkPage(page: PageRequest): PageRequest {
  const { offset, limit } = page;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_SIZE_MAX) {
    throw ValidationFailedError.forField('page_size', 'validation.max', { max: PAGE_SIZE_MAX });
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > PAGE_MAX * PAGE_SIZE_MAX) {
    throw ValidationFailedError.forField('page', 'validation.max', { max: PAGE_MAX });
  }
  return page;
}
