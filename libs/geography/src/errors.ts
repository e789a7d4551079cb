import { NotFoundError } from '@app/common';

/*
 * The geography lib's typed errors. A field's error (a taken name, a parent that does not exist) is a
 * ValidationFailedError naming the field; this file holds the rest.
 */

/** Unknown pk in a back-office path. */
export class PlaceNotFoundError extends NotFoundError {
  constructor() {
    super('place_not_found', 'geography.not_found');
  }
}
