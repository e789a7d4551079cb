import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import {
  CARD_REDIRECT_URL,
  type LoyaltyCardDeletePreviewResponseDto,
  type LoyaltyCardUpdateDto,
  type LoyaltyProfileCardResponseDto,
  type LoyaltyProfileUpdatedResponseDto,
} from '../dtos/loyalty-card.dto';
import { LoyaltyCardConfig } from '../loyalty-card.config';
import { LOYALTY_PROVIDER, type LoyaltyProvider } from '../provider/loyalty-provider';
import { cardResponse, profileOf, profileResponse } from '../loyalty-card.mapper';
import { LoyaltyCards } from './loyalty-cards';
import { PointsCache } from './points-cache';
import { LoyaltyCardRepository } from '../repositories/loyalty-card.repository';
import { phoneKey } from '../repositories/verified-phone.repository';

/** An enrolled user's card: the member profile (read and changed at the provider) and deleting the card. */
@Injectable()
export class LoyaltyCardProfileService {
  private readonly logger = new Logger('LoyaltyCard');

  constructor(
    private readonly cardRows: LoyaltyCardRepository,
    @Inject(LOYALTY_PROVIDER) private readonly provider: LoyaltyProvider,
    private readonly cards: LoyaltyCards,
    private readonly points: PointsCache,
    private readonly config: LoyaltyCardConfig,
    private readonly clock: Clock,
  ) {}

  async updateForm(ctx: StorefrontRequestContext): Promise<LoyaltyProfileCardResponseDto> {
    const card = await this.cards.requireCard(this.cards.requireUser(ctx));
    const account = await this.cards.external(() => this.provider.account(card.accountNumber));
    return { card: profileResponse(account, true) };
  }

  async update(ctx: StorefrontRequestContext, dto: LoyaltyCardUpdateDto): Promise<LoyaltyProfileUpdatedResponseDto> {
    const user = this.cards.requireUser(ctx);
    const card = await this.cards.requireCard(user);
    await this.cards.assertPhoneFree(user, dto.phone);
    // A new phone on the member account must be one this customer proved: otherwise anyone could plant someone
    // else's phone on an account and have its holder linked to it later.
    if (phoneKey(dto.phone) !== phoneKey(card.number)) {
      await this.cards.requireProvenPhone(ctx.channel.id, user, dto.phone);
    }
    const current = await this.cards.external(() => this.provider.account(card.accountNumber));
    const profile = profileOf(dto, current.email);
    await this.cards.external(() => this.provider.update(card.accountNumber, profile));
    await this.cardRows.changeNumber(card, dto.phone, this.config.isSync ? profile : null, this.clock.now());
    await this.points.invalidate(card.id, card.accountNumber);
    return { card: profileResponse(profile, false), redirect_url: CARD_REDIRECT_URL };
  }

  async deletePreview(ctx: StorefrontRequestContext): Promise<LoyaltyCardDeletePreviewResponseDto> {
    const user = this.cards.requireUser(ctx);
    const card = await this.cards.requireCard(user);
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
    const user = this.cards.requireUser(ctx);
    const card = await this.cards.requireCard(user);
    await this.cardRows.delete(card.id);
    await this.points.invalidate(card.id, card.accountNumber);
    if (this.provider.deactivate) {
      try {
        await this.provider.deactivate(card.accountNumber);
      } catch (error) {
        this.logger.warn({ err: (error as Error).message }, 'External account not deactivated');
      }
    }
  }
}
