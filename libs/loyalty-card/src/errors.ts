import { AppError, NotFoundError, RetryLaterError, ServiceUnavailableError, ValidationFailedError } from '@app/common';

export class LoyaltyProviderUnavailableError extends ServiceUnavailableError {
  constructor() {
    super('loyalty_provider_unavailable', 'loyalty_card.provider_unavailable');
  }
}

export class NoLoyaltyCardError extends NotFoundError {
  constructor() {
    super('no_loyalty_card', 'loyalty_card.no_card');
  }
}

export class LoyaltyCardExistsError extends AppError {
  readonly kind = 'invalid';
  constructor() {
    super('loyalty_card_exists', 'loyalty_card.card_exists');
  }
}

export class AccountLinkedElsewhereError extends AppError {
  readonly kind = 'invalid';
  constructor() {
    super('loyalty_account_linked', 'loyalty_card.account_linked_elsewhere');
  }
}

export class SmsResendTooSoonError extends RetryLaterError {
  constructor(seconds: number) {
    super(seconds, 'sms_resend_too_soon', 'loyalty_card.resend_too_soon', { seconds });
  }
}

export class SmsSendsExceededError extends RetryLaterError {
  constructor(seconds: number) {
    super(seconds, 'sms_limit_exceeded', 'loyalty_card.sends_exceeded');
  }
}

export class SmsFailedError extends ServiceUnavailableError {
  constructor() {
    super('sms_failed', 'loyalty_card.sms_failed');
  }
}

/** The phone is not one this customer proved with a code (docs/security.md); `add_loyalty_card` sends one. */
export class PhoneNotVerifiedError extends ValidationFailedError {
  constructor() {
    super(
      { phone: [{ key: 'loyalty_card.phone_not_verified' }] },
      'phone_not_verified',
      'loyalty_card.phone_not_verified',
    );
  }
}

/** Another enrolment of this customer is still running (on any instance): try again in a moment. */
export class EnrolmentBusyError extends ServiceUnavailableError {
  constructor() {
    super('loyalty_card_busy', 'errors.service_unavailable');
  }
}
