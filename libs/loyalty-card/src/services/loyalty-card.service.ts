import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock, NotAuthenticatedError, Translator, ValidationFailedError } from '@app/common';
import { Leases, violatedUniqueIndex } from '@app/database';
import { type StorefrontRequestContext, toUserResponse, UserEntity } from '@app/identity';
import {
  CARD_REDIRECT_URL,
  type CardNumberResponseDto,
  type LoyaltyCardCreateDto,
  type LoyaltyCardCreatedResponseDto,
  type LoyaltyCardDeletePreviewResponseDto,
  type LoyaltyCardDetailResponseDto,
  type LoyaltyCardResponseDto,
  type LoyaltyCardSearchDto,
  type LoyaltyCardUpdateDto,
  type LoyaltyProfileCardResponseDto,
  type LoyaltyProfileResponseDto,
  type LoyaltyProfileUpdatedResponseDto,
  type MessageResponseDto,
} from '../dtos/loyalty-card.dto';
import { LoyaltyCardEntity } from '../entities/loyalty-card.entity';
import {
  AccountLinkedElsewhereError,
  LoyaltyCardExistsError,
  LoyaltyProviderUnavailableError,
  NoLoyaltyCardError,
  EnrolmentBusyError,
  PhoneNotVerifiedError,
} from '../errors';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import { LoyaltyProviderError } from '../provider/http-loyalty-provider';
import {
  type ExternalAccount,
  type ExternalProfile,
  type Gender,
  LOYALTY_PROVIDER,
  type LoyaltyProvider,
} from '../provider/loyalty-provider';
import { PointsCache } from './points-cache';
import { SmsVerificationService } from './sms-verification.service';
import { phoneKey, VerifiedPhones } from './verified-phones';

/** Per channel: is an SMS code needed to enrol (the `verify_sms` dynamic setting, on by default)? */
export interface VerifySmsSetting {
  verifySms(channelId: number): Promise<boolean>;
}
export const VERIFY_SMS_SETTING = Symbol('VERIFY_SMS_SETTING');

/**
 * A user's enrolments are serialised across instances by a lease (`Leases`, no connection held), never by a lock
 * held across the provider's calls: the provider is waited on with no pooled connection checked out.
 */
const ENROL_LEASE_TTL_MS = 30_000;
const ENROL_WAIT_MS = 10_000;

export type AddOutcome =
  | { status: 202; body: Record<string, unknown> }
  | { status: 200; body: MessageResponseDto }
  | { status: 201; body: LoyaltyCardCreatedResponseDto };

export type AddFormOutcome = { redirect: string } | { user: ReturnType<typeof toUserResponse> };

function cardResponse(card: LoyaltyCardEntity, user: UserEntity): LoyaltyCardResponseDto {
  return {
    pk: card.id,
    attributes: { account_number: card.accountNumber, ...card.attributes },
    created_date: card.createdDate.toISOString(),
    modified_date: card.modifiedDate.toISOString(),
    number: card.number,
    user: toUserResponse(user),
  };
}

function profileOf(dto: LoyaltyCardCreateDto | LoyaltyCardUpdateDto, email: string): ExternalProfile {
  return {
    first_name: dto.first_name,
    last_name: dto.last_name,
    email,
    phone: dto.phone,
    // Checked against GENDER_VALUES by the DTO; typed as a string there for a stable OpenAPI schema.
    gender: dto.gender as Gender,
    date_of_birth: dto.date_of_birth ?? null,
    email_allowed: dto.email_allowed ?? false,
    sms_allowed: dto.sms_allowed ?? false,
    call_allowed: dto.call_allowed ?? null,
  };
}

function profileResponse(profile: ExternalProfile, withEmail: boolean): LoyaltyProfileResponseDto {
  const fields: LoyaltyProfileResponseDto = {
    first_name: profile.first_name,
    last_name: profile.last_name,
    phone: profile.phone,
    gender: profile.gender,
    date_of_birth: profile.date_of_birth,
    email_allowed: profile.email_allowed,
    sms_allowed: profile.sms_allowed,
    call_allowed: profile.call_allowed,
  };
  if (withEmail) fields.email = profile.email;
  return fields;
}

/**
 * The storefront's loyalty card: enrolment (with or without an SMS code), points, profile updates, deletion and
 * linking an existing external account. The external system is behind LoyaltyProvider; its failures become a
 * translated 503 (or, for points, a message in `errors`), never a half-created card.
 */
@Injectable()
export class LoyaltyCardService {
  private readonly logger = new Logger('LoyaltyCard');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(LOYALTY_PROVIDER) private readonly provider: LoyaltyProvider,
    @Inject(VERIFY_SMS_SETTING) private readonly verifySms: VerifySmsSetting,
    private readonly sms: SmsVerificationService,
    private readonly phones: VerifiedPhones,
    private readonly points: PointsCache,
    private readonly config: LoyaltyCardConfig,
    private readonly translator: Translator,
    private readonly clock: Clock,
    private readonly leases: Leases,
  ) {}

  async detail(ctx: StorefrontRequestContext): Promise<LoyaltyCardDetailResponseDto> {
    const user = this.requireUser(ctx);
    const card = await this.findCard(user.id);
    if (!card) return { card: null, points: 0, errors: null };
    try {
      const points = await this.points.get(card.id, card.accountNumber, () => this.provider.points(card.accountNumber));
      return { card: cardResponse(card, user), points, errors: null };
    } catch (error) {
      if (!(error instanceof LoyaltyProviderError)) throw error;
      this.logger.warn({ failure: error.failure }, 'Points not read from the loyalty provider');
      const message = this.translator.translate('loyalty_card.points_unavailable', ctx.language);
      return { card: cardResponse(card, user), points: 0, errors: message };
    }
  }

  /** The form's data, or where to go when the user already has a card (decided by the card, not `has_loyalty`). */
  async addForm(ctx: StorefrontRequestContext): Promise<AddFormOutcome> {
    const user = this.requireUser(ctx);
    if (await this.findCard(user.id)) return { redirect: '/loyalty-card/loyalty_card/' };
    return { user: toUserResponse(user) };
  }

  async add(ctx: StorefrontRequestContext, dto: LoyaltyCardCreateDto): Promise<AddOutcome> {
    const user = this.requireUser(ctx);
    const data: Record<string, unknown> = Object.fromEntries(Object.entries(dto));
    const echo = Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'code' && k !== 'resend'));
    if (await this.verifySms.verifySms(ctx.channel.id)) {
      if (dto.code === undefined) {
        if (await this.findCard(user.id)) throw new LoyaltyCardExistsError();
        await this.sms.send(ctx, user, dto.phone, data, dto.resend === true);
        return dto.resend === true ? { status: 200, body: { message: 'success' } } : { status: 202, body: echo };
      }
      await this.sms.verify(ctx, dto.phone, data, dto.code);
      // Kept before enrolling: the proof stands even when the provider fails now, so a retry may link.
      await this.phones.record(ctx.channel.id, user.id, dto.phone);
      const card = await this.enrol(ctx, user, dto, { verified: true });
      await this.sms.clear(ctx);
      return { status: 201, body: { card, redirect_url: CARD_REDIRECT_URL } };
    }
    const card = await this.enrol(ctx, user, dto, { verified: false });
    return { status: 201, body: { card, redirect_url: CARD_REDIRECT_URL } };
  }

  async addWithoutSms(
    ctx: StorefrontRequestContext,
    dto: LoyaltyCardCreateDto,
  ): Promise<LoyaltyCardCreatedResponseDto> {
    const user = this.requireUser(ctx);
    // "For users who have already completed OTP verification through other means": where the channel verifies by
    // SMS, that proof must be one this service saw (a code sent to this phone for this user, say for an earlier
    // card); a phone typed into the body proves nothing.
    if ((await this.verifySms.verifySms(ctx.channel.id)) && !(await this.phones.isVerified(user.id, dto.phone))) {
      throw new PhoneNotVerifiedError();
    }
    return { card: await this.enrol(ctx, user, dto, { verified: false }), redirect_url: CARD_REDIRECT_URL };
  }

  async updateForm(ctx: StorefrontRequestContext): Promise<LoyaltyProfileCardResponseDto> {
    const card = await this.requireCard(this.requireUser(ctx));
    const account = await this.external(() => this.provider.account(card.accountNumber));
    return { card: profileResponse(account, true) };
  }

  async update(ctx: StorefrontRequestContext, dto: LoyaltyCardUpdateDto): Promise<LoyaltyProfileUpdatedResponseDto> {
    const user = this.requireUser(ctx);
    const card = await this.requireCard(user);
    await this.assertPhoneFree(this.dataSource.manager, user, dto.phone);
    // A new phone on the member account must be one this customer proved: otherwise anyone could plant someone
    // else's phone on an account and have its holder linked to it later.
    const newPhone = phoneKey(dto.phone) !== phoneKey(card.number);
    if (
      newPhone &&
      (await this.verifySms.verifySms(ctx.channel.id)) &&
      !(await this.phones.isVerified(user.id, dto.phone))
    ) {
      throw new PhoneNotVerifiedError();
    }
    const current = await this.external(() => this.provider.account(card.accountNumber));
    const profile = profileOf(dto, current.email);
    await this.external(() => this.provider.update(card.accountNumber, profile));
    await this.dataSource.transaction(async (m) => {
      await m.update(LoyaltyCardEntity, { id: card.id }, { number: dto.phone });
      if (this.config.isSync) await this.syncUser(m, user, profile);
    });
    await this.points.invalidate(card.id, card.accountNumber);
    return { card: profileResponse(profile, false), redirect_url: CARD_REDIRECT_URL };
  }

  async deletePreview(ctx: StorefrontRequestContext): Promise<LoyaltyCardDeletePreviewResponseDto> {
    const user = this.requireUser(ctx);
    const card = await this.requireCard(user);
    const full = cardResponse(card, user);
    return {
      card: {
        pk: full.pk,
        attributes: full.attributes,
        created_date: full.created_date,
        modified_date: full.modified_date,
        number: full.number,
        user: { pk: user.id, first_name: user.firstName, last_name: user.lastName, phone: user.phone },
      },
    };
  }

  /** Removes the local card at once; the external account is deactivated when the provider can (best effort). */
  async delete(ctx: StorefrontRequestContext): Promise<void> {
    const user = this.requireUser(ctx);
    const card = await this.requireCard(user);
    await this.dataSource.getRepository(LoyaltyCardEntity).delete({ id: card.id });
    await this.points.invalidate(card.id, card.accountNumber);
    if (this.provider.deactivate) {
      try {
        await this.provider.deactivate(card.accountNumber);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'External account not deactivated');
      }
    }
  }

  /**
   * Links an existing external account whose phone this user has verified; never creates one. Any other match
   * (by e-mail, an unverified phone, an account linked to someone else) answers as not found, so the endpoint
   * tells nothing about other people's memberships.
   */
  async searchAndLink(
    ctx: StorefrontRequestContext,
    dto: LoyaltyCardSearchDto,
  ): Promise<{ status: 200; body: MessageResponseDto } | { status: 201; body: CardNumberResponseDto }> {
    const user = this.requireUser(ctx);
    const verified = await this.phones.of(user.id);
    const phones = dto.phone === undefined ? verified : verified.filter((p) => p === phoneKey(dto.phone!));
    const card = await this.locked(user, async (m) => {
      for (const phone of phones) {
        const asTyped = dto.phone ?? `+${phone}`;
        const found = await this.external(() =>
          this.provider.search(ctx.channel.id, { email: dto.email, phone: asTyped, date_of_birth: dto.date_of_birth }),
        );
        const account = await this.firstUnlinked(m, ctx.channel.id, found, phone);
        if (account) return this.dataSource.transaction((t) => this.link(t, ctx, user, account, { verified: false }));
      }
      return undefined;
    }).catch((error: unknown) => {
      // Linked by someone else in the meantime: as far as this customer may know, there was nothing to link.
      if (error instanceof AccountLinkedElsewhereError) return undefined;
      throw error;
    });
    if (!card) return { status: 200, body: { message: 'not find remote account' } };
    return { status: 201, body: { number: card.number } };
  }

  /**
   * Search, create when needed, and link: all under a per-user advisory lock held by one transaction, so two
   * concurrent enrolments of one user make one card and one external account. An existing external account is
   * linked only when its phone is the body's phone and this user verified that phone (a retry after a
   * half-finished code enrolment finds the account it created that way); otherwise a new account is created,
   * always with the customer's own account e-mail, never the body's.
   */
  private async enrol(
    ctx: StorefrontRequestContext,
    user: UserEntity,
    dto: LoyaltyCardCreateDto,
    options: { verified: boolean },
  ): Promise<LoyaltyCardResponseDto> {
    const profile = profileOf(dto, user.email);
    const card = await this.locked(user, async (m) => {
      await this.assertPhoneFree(m, user, dto.phone);
      let existing: ExternalAccount | undefined;
      if (await this.phones.isVerified(user.id, dto.phone, m)) {
        const found = await this.external(() =>
          this.provider.search(ctx.channel.id, { email: user.email, phone: dto.phone }),
        );
        existing = await this.firstUnlinked(m, ctx.channel.id, found, dto.phone);
      }
      const account = existing ?? (await this.external(() => this.provider.create(ctx.channel.id, profile)));
      return this.dataSource.transaction((t) => this.link(t, ctx, user, account, options, profile));
    });
    return cardResponse(card, (await this.reloadUser(user.id)) ?? user);
  }

  /**
   * The first active account with exactly this (verified) phone that no card of the channel links yet. One linked
   * to someone else is passed over rather than refused: that holder never proved the phone to us (else the phone
   * would count as taken), so it must not block the customer who did.
   */
  private async firstUnlinked(
    m: EntityManager,
    channelId: number,
    found: readonly ExternalAccount[],
    phone: string,
  ): Promise<ExternalAccount | undefined> {
    for (const account of found) {
      if (!account.active || phoneKey(account.phone) !== phoneKey(phone)) continue;
      const taken = await m.existsBy(LoyaltyCardEntity, { channelId, accountNumber: account.account_number });
      if (!taken) return account;
    }
    return undefined;
  }

  /**
   * Runs `work` holding the user's enrolment lease, after checking the user has no card yet. The work's database
   * steps are short statements and one short transaction to link; the provider is called between them.
   */
  private async locked<T>(user: UserEntity, work: (m: EntityManager) => Promise<T>): Promise<T> {
    const held = await this.leases.withLease(
      `loyalty-card:user:${user.id}`,
      { ttlMs: ENROL_LEASE_TTL_MS, waitMs: ENROL_WAIT_MS },
      async () => {
        if (await this.findCard(user.id)) throw new LoyaltyCardExistsError();
        return work(this.dataSource.manager);
      },
    );
    if (!held) throw new EnrolmentBusyError();
    return held.value;
  }

  private async link(
    m: EntityManager,
    ctx: StorefrontRequestContext,
    user: UserEntity,
    account: ExternalAccount,
    options: { verified: boolean },
    syncProfile?: ExternalProfile,
  ): Promise<LoyaltyCardEntity> {
    const taken = await m.findOneBy(LoyaltyCardEntity, {
      channelId: ctx.channel.id,
      accountNumber: account.account_number,
    });
    if (taken) throw new AccountLinkedElsewhereError();
    // Another customer's transaction may link the same account at this moment (the lock is per user): the unique
    // index decides, and the loser is told the account is linked elsewhere, never a 500.
    const saved = await m
      .save(
        m.create(LoyaltyCardEntity, {
          channelId: ctx.channel.id,
          userId: user.id,
          number: account.phone || syncProfile?.phone || user.phone || '',
          accountNumber: account.account_number,
          attributes: { account_number: account.account_number },
        }),
      )
      .catch((error: unknown) => {
        if (violatedUniqueIndex(error) === 'loyalty_card_account_uq') throw new AccountLinkedElsewhereError();
        throw error;
      });
    const attributes: Record<string, unknown> = { has_loyalty: true };
    if (options.verified) attributes.verified_user = true;
    await m
      .createQueryBuilder()
      .update(UserEntity)
      .set({ attributes: () => `attributes || :attributes::jsonb`, modifiedDate: this.clock.now() })
      .setParameter('attributes', JSON.stringify(attributes))
      .where('id = :id', { id: user.id })
      .execute();
    if (syncProfile && this.config.isSync) await this.syncUser(m, user, syncProfile);
    return saved;
  }

  private async syncUser(m: EntityManager, user: UserEntity, profile: ExternalProfile): Promise<void> {
    await m.update(
      UserEntity,
      { id: user.id },
      {
        firstName: profile.first_name,
        lastName: profile.last_name,
        phone: profile.phone,
        gender: profile.gender,
        dateOfBirth: profile.date_of_birth,
        emailAllowed: profile.email_allowed ?? false,
        smsAllowed: profile.sms_allowed ?? false,
        callAllowed: profile.call_allowed,
        modifiedDate: this.clock.now(),
      },
    );
  }

  /** "Must be unique, cannot match other active users": read as another active user who verified the phone. */
  private async assertPhoneFree(m: EntityManager, user: UserEntity, phone: string): Promise<void> {
    if (await this.phones.verifiedByOther(m, user.channelId, user.id, phone)) {
      throw ValidationFailedError.forField('phone', 'loyalty_card.phone_taken');
    }
  }

  private async external<T>(call: () => Promise<T>): Promise<T> {
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

  private requireUser(ctx: StorefrontRequestContext): UserEntity {
    if (!ctx.user) throw new NotAuthenticatedError();
    return ctx.user;
  }

  private async requireCard(user: UserEntity): Promise<LoyaltyCardEntity> {
    const card = await this.findCard(user.id);
    if (!card) throw new NoLoyaltyCardError();
    return card;
  }

  private findCard(userId: number): Promise<LoyaltyCardEntity | null> {
    return this.dataSource.getRepository(LoyaltyCardEntity).findOneBy({ userId });
  }

  private reloadUser(userId: number): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
  }
}
