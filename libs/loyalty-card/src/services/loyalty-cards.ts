import { Inject, Injectable, Logger } from '@nestjs/common';
import { NotAuthenticatedError } from '@app/common';
import { type StorefrontRequestContext, UserEntity } from '@app/identity';
import { LoyaltyCardEntity } from '../entities/loyalty-card.entity';
import { LoyaltyProviderUnavailableError, NoLoyaltyCardError, PhoneNotVerifiedError, PhoneTakenError } from '../errors';
import { LoyaltyProviderError } from '../provider/http-loyalty-provider';
import { LoyaltyCardRepository } from '../repositories/loyalty-card.repository';
import { VerifiedPhoneRepository } from '../repositories/verified-phone.repository';

/** Per channel: is an SMS code needed to enrol (the `verify_sms` dynamic setting, on by default)? */
export interface VerifySmsSetting {
  verifySms(channelId: number): Promise<boolean>;
}
export const VERIFY_SMS_SETTING = Symbol('VERIFY_SMS_SETTING');

/**
 * What the storefront's loyalty-card use cases (enrolment, profile, points) share: the signed-in user and their
 * card, the provider's failures as a translated 503, and the phone rules.
 */
@Injectable()
export class LoyaltyCards {
  private readonly logger = new Logger('LoyaltyCard');

  constructor(
    private readonly cards: LoyaltyCardRepository,
    @Inject(VERIFY_SMS_SETTING) private readonly verifySms: VerifySmsSetting,
    private readonly phones: VerifiedPhoneRepository,
  ) {}

  requireUser(ctx: StorefrontRequestContext): UserEntity {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }

  async requireCard(user: UserEntity): Promise<LoyaltyCardEntity> {
    const card = await this.findCard(user.id);
    if (!card) throw new NoLoyaltyCardError();
    return card;
  }

  findCard(userId: number): Promise<LoyaltyCardEntity | null> {
    return this.cards.cardOf(userId);
  }

  reloadUser(userId: number): Promise<UserEntity | null> {
    return this.cards.user(userId);
  }

  /** Does the channel enrol with an SMS code? */
  smsRequired(channelId: number): Promise<boolean> {
    return this.verifySms.verifySms(channelId);
  }

  /** Where the channel verifies by SMS, the phone must be one this user proved to this service. */
  async requireProvenPhone(channelId: number, user: UserEntity, phone: string): Promise<void> {
    if ((await this.smsRequired(channelId)) && !(await this.phones.isVerified(user.id, phone))) {
      throw new PhoneNotVerifiedError();
    }
  }

  /** "Must be unique, cannot match other active users": read as another active user who verified the phone. */
  async assertPhoneFree(user: UserEntity, phone: string): Promise<void> {
    if (await this.phones.verifiedByOther(user.channelId, user.id, phone)) {
      throw new PhoneTakenError();
    }
  }

  /** A provider call whose failure answers a translated 503. */
  async external<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof LoyaltyProviderError) {
        this.logger.warn({ failure: error.failure }, 'Loyalty provider call failed');
        throw new LoyaltyProviderUnavailableError();
      }
      throw error;
    }
  }
}
