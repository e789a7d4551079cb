import { Inject, Injectable } from '@nestjs/common';
import type { MinorUnits } from '@app/common';
import type { CardChargeEntity } from '../entities/card-charge.entity';
import type { OrderEntity } from '../entities/order.entity';
import {
  CARD_GATEWAY,
  type CardDetails,
  type CardGateway,
  type CardProblem,
  type ChargeLookup,
  type ChargeResult,
  type DeclineReason,
} from './card-gateway';
import {
  type CardType,
  INSTALLMENT_COUNTS,
  type InstallmentCount,
  type InstallmentPrice,
  installmentPrice,
} from './card-rules';
import { PaymentConfig } from './payment.config';
import { CardChargeRepository } from '../repositories/card-charge.repository';

export type ChargeOutcome = { approved: true; charge: CardChargeEntity } | { approved: false; reason: DeclineReason };

/**
 * The card side of an order: installment prices from the configured interest, card checks, and the one charge of
 * an order. The `card_charge` row (unique per order) is the record; the gateway is also asked with the order number
 * as its idempotency key, so even a charge whose row was never written is not taken twice.
 */
@Injectable()
export class CardPaymentService {
  constructor(
    @Inject(CARD_GATEWAY) private readonly gateway: CardGateway,
    private readonly charges: CardChargeRepository,
    private readonly config: PaymentConfig,
  ) {}

  isInstallmentCount(count: number): count is InstallmentCount {
    return (INSTALLMENT_COUNTS as readonly number[]).includes(count);
  }

  price(amount: MinorUnits, count: InstallmentCount): InstallmentPrice {
    return installmentPrice(amount, count, this.config.interestBasisPoints.get(count) ?? 0n);
  }

  prices(amount: MinorUnits): InstallmentPrice[] {
    return INSTALLMENT_COUNTS.map((count) => this.price(amount, count));
  }

  validate(card: CardDetails): CardProblem[] {
    return this.gateway.validate(card);
  }

  /**
   * Asks the gateway to charge the order's card part plus interest, under the order number as idempotency key (a
   * repeat charges nothing more). Throws when the gateway gives no answer: the outcome is then unknown.
   */
  requestCharge(
    order: OrderEntity,
    card: CardDetails,
    price: InstallmentPrice,
    threeD: boolean,
  ): Promise<ChargeResult> {
    return this.gateway.charge({
      idempotencyKey: order.number,
      amountMinor: price.total,
      currency: order.currency,
      installmentCount: price.count,
      card,
      threeD,
    });
  }

  /** Records the gateway's answer as the order's one charge (a row already there wins) and answers its outcome. */
  async recordCharge(order: OrderEntity, result: ChargeResult, card: CardDetails): Promise<ChargeOutcome> {
    return this.outcome(
      await this.record(order, {
        status: result.approved ? 'approved' : 'declined',
        reference: result.approved ? result.reference : '',
        declineReason: result.approved ? null : result.reason,
        cardType: result.approved ? result.cardType : null,
        cardLast4: card.number.slice(-4),
      }),
    );
  }

  /**
   * What became of the order's charge: the recorded answer, or else the gateway's answer to the order's key, then
   * recorded (the request that asked may have died before it could). Never charges.
   */
  async settled(order: OrderEntity): Promise<ChargeLookup> {
    const recorded = await this.recorded(order.id);
    if (recorded) return this.lookupOf(recorded);
    const lookup = await this.gateway.lookup(order.number);
    if (lookup.state === 'approved' || lookup.state === 'declined' || lookup.state === 'voided') {
      const recordedNow = await this.record(order, {
        status: lookup.state,
        reference: lookup.state === 'declined' ? '' : lookup.reference,
        declineReason: lookup.state === 'declined' ? lookup.reason : null,
        cardType: lookup.state === 'approved' ? lookup.cardType : order.cardType,
        cardLast4: lookup.state === 'approved' ? lookup.last4 : order.cardLast4,
      });
      return this.lookupOf(recordedNow);
    }
    return lookup;
  }

  recorded(orderId: number): Promise<CardChargeEntity | null> {
    return this.charges.ofOrder(orderId);
  }

  /** Writes the order's one charge row (a concurrent writer's row wins) and answers the row that stands. */
  private async record(
    order: OrderEntity,
    answer: Pick<CardChargeEntity, 'status' | 'reference' | 'declineReason' | 'cardType' | 'cardLast4'>,
  ): Promise<CardChargeEntity> {
    return this.charges.record({
      orderId: order.id,
      gateway: this.gateway.name,
      amount: order.cardAmount + order.interestAmount,
      interestAmount: order.interestAmount,
      currency: order.currency,
      installmentCount: order.installmentCount,
      ...answer,
    });
  }

  private lookupOf(charge: CardChargeEntity): ChargeLookup {
    switch (charge.status) {
      case 'approved':
        return {
          state: 'approved',
          reference: charge.reference,
          cardType: charge.cardType as CardType,
          last4: charge.cardLast4 ?? '',
        };
      case 'voided':
        return { state: 'voided', reference: charge.reference };
      case 'declined':
        return { state: 'declined', reason: (charge.declineReason ?? 'declined') as DeclineReason };
    }
  }

  /** Gives back an approved charge of an order that could not be completed after all. */
  async void(orderId: number): Promise<void> {
    const charge = await this.charges.approvedOf(orderId);
    if (!charge) return;
    await this.gateway.void(charge.reference);
    await this.charges.markVoided(charge.id);
  }

  private outcome(charge: CardChargeEntity): ChargeOutcome {
    if (charge.status === 'approved') return { approved: true, charge };
    return { approved: false, reason: (charge.declineReason ?? 'declined') as DeclineReason };
  }
}
