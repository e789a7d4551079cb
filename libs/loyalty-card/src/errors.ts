import { AppError, DomainError, NotFoundError, RetryLaterError, ServiceUnavailableError } from '@app/common';

/*
 * The loyalty-card lib's errors. What a request's fields got wrong (the phone, the SMS code) are typed domain errors, in the lib's own terms: no status, message or field
 * name. Each app's edge table (`apps/<app>/src/edge-errors.ts`) says how it answers them. The refusals further
 * down (the provider down, no card, the SMS limits) name no field and stay AppErrors: a kind, a code and a message
 * key.
 */

export abstract class LoyaltyCardError extends DomainError {
  static readonly abstractBase = true;
}

/** The phone is not one this customer proved with a code (docs/security.md); `add_loyalty_card` sends one. */
export class PhoneNotVerifiedError extends LoyaltyCardError {
  readonly reason = 'phone_not_verified';
}

/** Another active customer of the channel proved this phone: it cannot be this customer's card's. */
export class PhoneTakenError extends LoyaltyCardError {
  readonly reason = 'phone_taken';
}

/** A code was posted and none is pending for the session, or the pending one expired. */
export class SmsCodeExpiredError extends LoyaltyCardError {
  readonly reason = 'sms_code_expired';
}

/** A code was posted with another phone or other details than the post the code was sent for. */
export class SmsDetailsMismatchError extends LoyaltyCardError {
  readonly reason = 'sms_details_mismatch';
}

/** The pending code's tries are used up (SMS_CODE_ATTEMPTS_MAX): even the right code is refused now. */
export class SmsCodeAttemptsExceededError extends LoyaltyCardError {
  readonly reason = 'sms_code_attempts_exceeded';
}

/** The posted code is not the one sent. */
export class SmsCodeInvalidError extends LoyaltyCardError {
  readonly reason = 'sms_code_invalid';
}

/** The back office names a local provider's account by a number the channel does not have. */
export class LocalAccountNotFoundError extends NotFoundError {}

/** The back office asks for the local provider's accounts, and the loyalty provider is not the local one. */
export class ProviderNotLocalError extends NotFoundError {
  constructor() {
    super('provider_not_local');
  }
}

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

/** Another enrolment of this customer is still running (on any instance): try again in a moment. */
export class EnrolmentBusyError extends ServiceUnavailableError {
  constructor() {
    super('loyalty_card_busy', 'errors.service_unavailable');
  }
}
