import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { SandboxCardChargeEntity } from '../entities/sandbox-card-charge.entity';
import type { CardType } from '../payments/card-rules';
import type { DeclineReason } from '../payments/card-gateway';
import type { SandboxCharge, SandboxChargeStore } from '../payments/sandbox-card-gateway';

/** The sandbox gateway's "bank" in the apps: its charges in `sandbox_card_charges`, shared by every instance. */
@Injectable()
export class SandboxChargeRepository implements SandboxChargeStore {
  constructor(
    @InjectRepository(SandboxCardChargeEntity) private readonly charges: Repository<SandboxCardChargeEntity>,
  ) {}

  async insertIfAbsent(charge: SandboxCharge): Promise<SandboxCharge> {
    await this.charges
      .createQueryBuilder()
      .insert()
      .values({
        idempotencyKey: charge.key,
        amount: charge.amountMinor,
        status: charge.status,
        reference: charge.reference,
        declineReason: charge.declineReason,
        cardType: charge.cardType,
        last4: charge.last4,
      })
      .orIgnore()
      .execute();
    return (await this.get(charge.key))!;
  }

  async get(key: string): Promise<SandboxCharge | undefined> {
    const row = await this.charges.findOneBy({ idempotencyKey: key });
    if (!row) return undefined;
    return {
      key: row.idempotencyKey,
      amountMinor: row.amount,
      status: row.status,
      reference: row.reference,
      declineReason: row.declineReason as DeclineReason | null,
      cardType: row.cardType as CardType | null,
      last4: row.last4,
    };
  }

  async voidByReference(reference: string): Promise<void> {
    await this.charges.update({ reference, status: 'approved' }, { status: 'voided' });
  }

  countApproved(): Promise<number> {
    return this.charges.countBy({ status: In(['approved', 'voided']) });
  }
}
