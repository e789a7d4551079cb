import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CardChargeEntity } from '../entities/card-charge.entity';

/** The card charges: one row per order (unique), the record of what the gateway answered. */
@Injectable()
export class CardChargeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get charges() {
    return this.dataSource.getRepository(CardChargeEntity);
  }

  /** The order's charge, or null when none is recorded. */
  ofOrder(orderId: number): Promise<CardChargeEntity | null> {
    return this.charges.findOneBy({ orderId });
  }

  /** Writes the order's one charge row unless one is there (a concurrent writer's row wins); answers the row. */
  async record(
    charge: Omit<CardChargeEntity, 'id' | 'order' | 'createdDate' | 'modifiedDate'>,
  ): Promise<CardChargeEntity> {
    await this.charges.createQueryBuilder().insert().values(charge).orIgnore().execute();
    return this.charges.findOneByOrFail({ orderId: charge.orderId });
  }

  /** The order's approved charge, or null when there is none (none recorded, or not approved). */
  approvedOf(orderId: number): Promise<CardChargeEntity | null> {
    return this.charges.findOneBy({ orderId, status: 'approved' });
  }

  /** An approved charge given back: voided, unless it has changed meanwhile. */
  async markVoided(chargeId: number): Promise<void> {
    await this.charges.update({ id: chargeId, status: 'approved' }, { status: 'voided' });
  }
}
