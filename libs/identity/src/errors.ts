import {
  AppError,
  NotAuthenticatedError,
  NotFoundError,
  PermissionDeniedError,
  ServiceUnavailableError,
} from '@app/common';

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
