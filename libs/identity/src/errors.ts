import {
  AppError,
  DomainError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
  ServiceUnavailableError,
} from '@app/common';

/*
 * The identity lib's errors. Those a request's field answers are typed domain errors (what went wrong, in the lib's
 * terms, with no status, message or field name): the storefront's edge table (`apps/storefront/src/edge-errors.ts`)
 * says how each is answered. The sign-in, CSRF and channel refusals below name no field and stay AppErrors (a kind,
 * a code and a message key): the guards throw them, and the failure limits count InvalidCredentialsError itself.
 */

export abstract class IdentityError extends DomainError {
  static readonly abstractBase = true;
}

/** A registration's e-mail is already a customer's of the channel (compared case-insensitively). */
export class EmailTakenError extends IdentityError {
  readonly reason = 'email_taken';
}

/** Wrong e-mail or password: one message for both, so a caller cannot learn which e-mails are registered. */
export class InvalidCredentialsError extends AppError {
  readonly kind = 'invalid';
  constructor() {
    super('invalid_credentials', 'errors.invalid_credentials');
  }
}

export class CsrfFailedError extends PermissionDeniedError {
  constructor() {
    super('csrf_failed', 'errors.csrf_failed');
  }
}

export class InvalidTokenError extends NotAuthenticatedError {
  constructor() {
    super('invalid_token', 'errors.invalid_token');
  }
}

export class ChannelNotFoundError extends NotFoundError {
  constructor() {
    super('channel_not_found', 'errors.channel_not_found');
  }
}

export class ChannelForbiddenError extends PermissionDeniedError {
  constructor() {
    super('channel_forbidden', 'errors.channel_forbidden');
  }
}

export class ChannelUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('channel_unavailable', 'errors.channel_unavailable');
  }
}
