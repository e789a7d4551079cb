import {
  BadRequestError,
  ConflictError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
  ServiceUnavailableError,
  TooManyAttemptsError,
  ValidationFailedError,
} from './app-error';
import { HTTP_STATUS_OF_KIND, httpStatusOf } from './error-renderer';

describe('the HTTP status of an error: chosen at the edge from its kind', () => {
  it.each([
    ['a validation failure', ValidationFailedError.forField('amount', 'validation.required'), 400],
    ['a bad request', new BadRequestError('insufficient_funds', 'ledger.insufficient_funds'), 400],
    ['an unknown caller', new NotAuthenticatedError(), 401],
    ['a caller not allowed', new PermissionDeniedError(), 403],
    ['something not there', new NotFoundError(), 404],
    ['a clash with the current state', new ConflictError('conflict', 'errors.conflict'), 409],
    ['a limit reached (with Retry-After)', new TooManyAttemptsError(30), 429],
    ['a dependency down', new ServiceUnavailableError('x', 'errors.service_unavailable'), 503],
  ])('answers %s with %i', (_what, error, status) => {
    expect(httpStatusOf(error)).toBe(status);
  });

  it('gives every kind a status of its own, a client error except for an unavailable dependency', () => {
    const statuses = Object.entries(HTTP_STATUS_OF_KIND);
    expect(new Set(statuses.map(([, status]) => status)).size).toBe(statuses.length);
    for (const [kind, status] of statuses)
      expect([kind, status >= 400 && status < (kind === 'unavailable' ? 600 : 500)]).toEqual([kind, true]);
  });
});
