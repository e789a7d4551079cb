import { DomainError, NotFoundError } from '@app/common';

/*
 * The geography lib's errors. What a back-office change got wrong (a parent it may not change or that does not
 * exist, a taken code or name) is a typed domain error in the lib's terms, naming the place kind or the property,
 * not a request field: the back office's edge table (`apps/omnitron/src/edge-errors.ts`) says how each is answered.
 * The file import's problems are field errors of its parsed file (GeographyImportService.parse, the apps' DTO
 * validation), and an unknown pk in a path stays the AppError below (a kind, a code and a message key).
 */

/** The kinds of place that are another's parent: a city's country, a township's city, a district's township. */
export type ParentKind = 'country' | 'city' | 'township';

export abstract class GeographyError extends DomainError {
  static readonly abstractBase = true;
}

/** A change of a place names its parent: a place keeps its parent for life. */
export class ParentReadOnlyError extends GeographyError {
  readonly reason = 'parent_read_only';
  constructor(readonly parent: ParentKind) {
    super(`the ${parent} of a place cannot change`);
  }
}

/** A new place names a parent there is none of. */
export class ParentNotFoundError extends GeographyError {
  readonly reason = 'parent_not_found';
  constructor(readonly parent: ParentKind) {
    super(`no such ${parent}`);
  }
}

/** Another place has the same `property`: the code (countries), or the name under the same parent. */
export class PlaceTakenError extends GeographyError {
  readonly reason = 'place_taken';
  constructor(readonly property: 'code' | 'name') {
    super(`the ${property} is taken`);
  }
}

/** Unknown pk in a back-office path. */
export class PlaceNotFoundError extends NotFoundError {
  constructor() {
    super('place_not_found', 'geography.not_found');
  }
}
