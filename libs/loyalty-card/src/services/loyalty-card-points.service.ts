import { Inject, Injectable, Logger } from '@nestjs/common';
import { Translator } from '@app/common';
import type { StorefrontRequestContext } from '@app/identity';
import type { LoyaltyCardDetailResponseDto } from '../dtos/loyalty-card.dto';
import { LoyaltyProviderError } from '../provider/http-loyalty-provider';
import { LOYALTY_PROVIDER, type LoyaltyProvider } from '../provider/loyalty-provider';
import { cardResponse } from '../loyalty-card.mapper';
import { LoyaltyCards } from './loyalty-cards';
import { PointsCache } from './points-cache';

/** The user's card and its points: a provider failure is a message in `errors`, never an error answer. */
@Injectable()
export class LoyaltyCardPointsService {
  private readonly logger = new Logger('LoyaltyCard');

  constructor(
    @Inject(LOYALTY_PROVIDER) private readonly provider: LoyaltyProvider,
    private readonly cards: LoyaltyCards,
    private readonly points: PointsCache,
    private readonly translator: Translator,
  ) {}

  async detail(ctx: StorefrontRequestContext): Promise<LoyaltyCardDetailResponseDto> {
    const user = this.cards.requireUser(ctx);
    const card = await this.cards.findCard(user.id);
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
}
