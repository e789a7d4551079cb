import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@app/common';
import { LEASE_NAMES, Leases } from '@app/database';
import { type StorefrontRequestContext, toUserResponse, type UserEntity } from '@app/identity';
import {
  CARD_REDIRECT_URL,
  type CardNumberResponseDto,
  type LoyaltyCardCreateDto,
  type LoyaltyCardCreatedResponseDto,
  type LoyaltyCardResponseDto,
  type LoyaltyCardSearchDto,
} from '../dtos/loyalty-card.dto';
import type { LoyaltyCardEntity } from '../entities/loyalty-card.entity';
import { AccountLinkedElsewhereError, EnrolmentBusyError, LoyaltyCardExistsError } from '../errors';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import {
  type ExternalAccount,
  type ExternalProfile,
  LOYALTY_PROVIDER,
  type LoyaltyProvider,
} from '../provider/loyalty-provider';
import { cardResponse, profileOf } from '../loyalty-card.mapper';
import { LoyaltyCards } from './loyalty-cards';
import { SmsVerificationService } from './sms-verification.service';
import { LoyaltyCardRepository } from '../repositories/loyalty-card.repository';
import { phoneKey, VerifiedPhoneRepository } from '../repositories/verified-phone.repository';

/**
 * A user's enrolments are serialised across instances by a lease (`Leases`, no connection held), never by a lock
 * held across the provider's calls: the provider is waited on with no pooled connection checked out.
 */
const ENROL_LEASE_TTL_MS = 30_000;
const ENROL_WAIT_MS = 10_000;

/**
 * What an enrolment did: the code was sent (the form's fields echoed, code and resend left out), sent again, or the
 * card was made. How each is answered over HTTP is the app's choice (the storefront: 202, 200, 201).
 */
export type AddOutcome =
  | { kind: 'code_sent'; echo: Record<string, unknown> }
  | { kind: 'code_resent' }
  | { kind: 'enrolled'; created: LoyaltyCardCreatedResponseDto };

/** What a search-and-link did: linked the customer's external account (its card number), or found none to link. */
export type SearchOutcome = { kind: 'linked'; linked: CardNumberResponseDto } | { kind: 'not_found' };

export type AddFormOutcome = { redirect: string } | { user: ReturnType<typeof toUserResponse> };

/**
 * Getting a card: enrolment (with an SMS code where the channel asks for one, or with a phone verified before)
 * and linking an existing external account. The external system is behind LoyaltyProvider; its failures become a
 * translated 503, never a half-created card.
 */
@Injectable()
export class LoyaltyCardEnrolmentService {
  constructor(
    private readonly cardRows: LoyaltyCardRepository,
    @Inject(LOYALTY_PROVIDER) private readonly provider: LoyaltyProvider,
    private readonly cards: LoyaltyCards,
    private readonly sms: SmsVerificationService,
    private readonly phones: VerifiedPhoneRepository,
    private readonly config: LoyaltyCardConfig,
    private readonly clock: Clock,
    private readonly leases: Leases,
  ) {}

  /** The form's data, or where to go when the user already has a card (decided by the card, not `has_loyalty`). */
  async addForm(ctx: StorefrontRequestContext): Promise<AddFormOutcome> {
    const user = this.cards.requireUser(ctx);
    if (await this.cards.findCard(user.id)) return { redirect: '/loyalty-card/loyalty_card/' };
    return { user: toUserResponse(user) };
  }

  async add(ctx: StorefrontRequestContext, dto: LoyaltyCardCreateDto): Promise<AddOutcome> {
    const user = this.cards.requireUser(ctx);
    const data: Record<string, unknown> = Object.fromEntries(Object.entries(dto));
    const echo = Object.fromEntries(Object.entries(data).filter(([k]) => k !== 'code' && k !== 'resend'));
    if (await this.cards.smsRequired(ctx.channel.id)) {
      if (dto.code === undefined) {
        if (await this.cards.findCard(user.id)) throw new LoyaltyCardExistsError();
        await this.sms.send(ctx, user, dto.phone, data, dto.resend === true);
        return dto.resend === true ? { kind: 'code_resent' } : { kind: 'code_sent', echo };
      }
      await this.sms.verify(ctx, dto.phone, data, dto.code);
      // Kept before enrolling: the proof stands even when the provider fails now, so a retry may link.
      await this.phones.record(ctx.channel.id, user.id, dto.phone);
      const card = await this.enrol(ctx, user, dto, { verified: true });
      await this.sms.clear(ctx);
      return { kind: 'enrolled', created: { card, redirect_url: CARD_REDIRECT_URL } };
    }
    const card = await this.enrol(ctx, user, dto, { verified: false });
    return { kind: 'enrolled', created: { card, redirect_url: CARD_REDIRECT_URL } };
  }

  async addWithoutSms(
    ctx: StorefrontRequestContext,
    dto: LoyaltyCardCreateDto,
  ): Promise<LoyaltyCardCreatedResponseDto> {
    const user = this.cards.requireUser(ctx);
    // "For users who have already completed OTP verification through other means": where the channel verifies by
    // SMS, that proof must be one this service saw (a code sent to this phone for this user, say for an earlier
    // card); a phone typed into the body proves nothing.
    await this.cards.requireProvenPhone(ctx.channel.id, user, dto.phone);
    return { card: await this.enrol(ctx, user, dto, { verified: false }), redirect_url: CARD_REDIRECT_URL };
  }

  /**
   * Links an existing external account whose phone this user has verified; never creates one. Any other match
   * (by e-mail, an unverified phone, an account linked to someone else) answers as not found, so the endpoint
   * tells nothing about other people's memberships.
   */
  async searchAndLink(ctx: StorefrontRequestContext, dto: LoyaltyCardSearchDto): Promise<SearchOutcome> {
    const user = this.cards.requireUser(ctx);
    const verified = await this.phones.of(user.id);
    const phones = dto.phone === undefined ? verified : verified.filter((p) => p === phoneKey(dto.phone!));
    const card = await this.locked(user, async () => {
      for (const phone of phones) {
        const asTyped = dto.phone ?? `+${phone}`;
        const found = await this.cards.external(() =>
          this.provider.search(ctx.channel.id, { email: dto.email, phone: asTyped, date_of_birth: dto.date_of_birth }),
        );
        const account = await this.firstUnlinked(ctx.channel.id, found, phone);
        if (account) return this.link(ctx, user, account, { verified: false });
      }
      return undefined;
    }).catch((error: unknown) => {
      // Linked by someone else in the meantime: as far as this customer may know, there was nothing to link.
      if (error instanceof AccountLinkedElsewhereError) return undefined;
      throw error;
    });
    return card ? { kind: 'linked', linked: { number: card.number } } : { kind: 'not_found' };
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
    const card = await this.locked(user, async () => {
      await this.cards.assertPhoneFree(user, dto.phone);
      let existing: ExternalAccount | undefined;
      if (await this.phones.isVerified(user.id, dto.phone)) {
        const found = await this.cards.external(() =>
          this.provider.search(ctx.channel.id, { email: user.email, phone: dto.phone }),
        );
        existing = await this.firstUnlinked(ctx.channel.id, found, dto.phone);
      }
      const account = existing ?? (await this.cards.external(() => this.provider.create(ctx.channel.id, profile)));
      return this.link(ctx, user, account, options, profile);
    });
    return cardResponse(card, (await this.cards.reloadUser(user.id)) ?? user);
  }

  /**
   * The first active account with exactly this (verified) phone that no card of the channel links yet. One linked
   * to someone else is passed over rather than refused: that holder never proved the phone to us (else the phone
   * would count as taken), so it must not block the customer who did.
   */
  private async firstUnlinked(
    channelId: number,
    found: readonly ExternalAccount[],
    phone: string,
  ): Promise<ExternalAccount | undefined> {
    for (const account of found) {
      if (!account.active || phoneKey(account.phone) !== phoneKey(phone)) continue;
      if (!(await this.cardRows.isLinked(channelId, account.account_number))) return account;
    }
    return undefined;
  }

  /**
   * Runs `work` holding the user's enrolment lease, after checking the user has no card yet. The work's database
   * steps are short statements and one short transaction to link; the provider is called between them.
   */
  private async locked<T>(user: UserEntity, work: () => Promise<T>): Promise<T> {
    const held = await this.leases.withLease(
      LEASE_NAMES.loyaltyCardEnrolment(user.id),
      { ttlMs: ENROL_LEASE_TTL_MS, waitMs: ENROL_WAIT_MS },
      async () => {
        if (await this.cards.findCard(user.id)) throw new LoyaltyCardExistsError();
        return work();
      },
    );
    if (!held) throw new EnrolmentBusyError();
    return held.value;
  }

  /** The card linking the user to the account, in one transaction (LoyaltyCardRepository.link). */
  private async link(
    ctx: StorefrontRequestContext,
    user: UserEntity,
    account: ExternalAccount,
    options: { verified: boolean },
    syncProfile?: ExternalProfile,
  ): Promise<LoyaltyCardEntity> {
    const userAttributes: Record<string, unknown> = { has_loyalty: true };
    if (options.verified) userAttributes.verified_user = true;
    const linked = await this.cardRows.link({
      channelId: ctx.channel.id,
      userId: user.id,
      number: account.phone || syncProfile?.phone || user.phone || '',
      accountNumber: account.account_number,
      userAttributes,
      syncProfile: syncProfile && this.config.isSync ? syncProfile : null,
      now: this.clock.now(),
    });
    if (linked === 'linked_elsewhere') throw new AccountLinkedElsewhereError();
    return linked;
  }
}
