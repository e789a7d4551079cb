import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { MinorUnits } from '@app/common';
import { CardChargeEntity } from '../entities/card-charge.entity';
import type { OrderEntity } from '../entities/order.entity';
import { CARD_GATEWAY, type CardDetails, type CardGateway, type CardProblem, type DeclineReason } from './card-gateway';
import { INSTALLMENT_COUNTS, type InstallmentCount, type InstallmentPrice, installmentPrice } from './card-rules';
import { PaymentConfig } from './payment.config';

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
    @InjectDataSource() private readonly dataSource: DataSource,
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

  /** Charges the order's card part plus interest, once: a repeat answers the recorded outcome. */
  async charge(
    order: OrderEntity,
    card: CardDetails,
    price: InstallmentPrice,
    threeD: boolean,
  ): Promise<ChargeOutcome> {
    const charges = this.dataSource.getRepository(CardChargeEntity);
    const recorded = await charges.findOneBy({ orderId: order.id });
    if (recorded) return this.outcome(recorded);
    const result = await this.gateway.charge({
      idempotencyKey: order.number,
      amountMinor: price.total,
      currency: order.currency,
      installmentCount: price.count,
      card,
      threeD,
    });
    await charges
      .createQueryBuilder()
      .insert()
      .values({
        orderId: order.id,
        gateway: this.gateway.name,
        reference: result.approved ? result.reference : '',
        amount: price.total,
        interestAmount: price.interest,
        currency: order.currency,
        installmentCount: price.count,
        status: result.approved ? 'approved' : 'declined',
        declineReason: result.approved ? null : result.reason,
        cardLast4: card.number.slice(-4),
        cardType: result.approved ? result.cardType : null,
      })
      .orIgnore()
      .execute();
    return this.outcome(await charges.findOneByOrFail({ orderId: order.id }));
  }

  /** Gives back an approved charge of an order that could not be completed after all. */
  async void(orderId: number): Promise<void> {
    const charges = this.dataSource.getRepository(CardChargeEntity);
    const charge = await charges.findOneBy({ orderId, status: 'approved' });
    if (!charge) return;
    await this.gateway.void(charge.reference);
    await charges.update({ id: charge.id, status: 'approved' }, { status: 'voided' });
  }

  private outcome(charge: CardChargeEntity): ChargeOutcome {
    if (charge.status === 'approved') return { approved: true, charge };
    return { approved: false, reason: (charge.declineReason ?? 'declined') as DeclineReason };
  }
}
