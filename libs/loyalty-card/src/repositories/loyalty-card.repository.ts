import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserEntity } from '@app/identity';
import { LoyaltyCardEntity } from '../entities/loyalty-card.entity';

/** The reads the storefront's loyalty-card use cases share: a user's card, and the user as stored now. */
@Injectable()
export class LoyaltyCardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The user's card (a user has at most one); null when none. */
  cardOf(userId: number): Promise<LoyaltyCardEntity | null> {
    return this.dataSource.getRepository(LoyaltyCardEntity).findOneBy({ userId });
  }

  /** The user as stored now (an enrolment may have copied the member profile to it). */
  user(userId: number): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
  }
}
