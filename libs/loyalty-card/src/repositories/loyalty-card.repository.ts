import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { violatedUniqueIndex } from '@app/database';
import { UserEntity } from '@app/identity';
import { LoyaltyCardEntity } from '../entities/loyalty-card.entity';
import type { ExternalProfile } from '../provider/loyalty-provider';

/** A card to link a user to an external account with (LoyaltyCardRepository.link). */
export interface CardLink {
  channelId: number;
  userId: number;
  /** The card's phone number. */
  number: string;
  accountNumber: string;
  /** Merged into the user's attributes (`has_loyalty`, `verified_user`). */
  userAttributes: Record<string, unknown>;
  /** The member profile copied to the user (with `is_sync`), or null. */
  syncProfile: ExternalProfile | null;
  now: Date;
}

/** The loyalty cards and what a card changes on its user: reads, the link, a new number, the removal. */
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

  /** Does a card of the channel link this external account? */
  isLinked(channelId: number, accountNumber: string): Promise<boolean> {
    return this.dataSource.getRepository(LoyaltyCardEntity).existsBy({ channelId, accountNumber });
  }

  /**
   * Links the user to the external account in one transaction: the card, the user's attributes and (with a
   * profile) the user's copy of it. `linked_elsewhere`, writing nothing, when a card of the channel links the
   * account already; another customer's transaction may link it at this moment (the caller's lock is per user),
   * and the unique index then decides the same way, never a 500.
   */
  link(link: CardLink): Promise<LoyaltyCardEntity | 'linked_elsewhere'> {
    return this.dataSource
      .transaction(async (m) => {
        const taken = await m.existsBy(LoyaltyCardEntity, {
          channelId: link.channelId,
          accountNumber: link.accountNumber,
        });
        if (taken) return 'linked_elsewhere' as const;
        const saved = await m.save(
          m.create(LoyaltyCardEntity, {
            channelId: link.channelId,
            userId: link.userId,
            number: link.number,
            accountNumber: link.accountNumber,
            attributes: { account_number: link.accountNumber },
          }),
        );
        await m
          .createQueryBuilder()
          .update(UserEntity)
          .set({ attributes: () => `attributes || :attributes::jsonb`, modifiedDate: link.now })
          .setParameter('attributes', JSON.stringify(link.userAttributes))
          .where('id = :id', { id: link.userId })
          .execute();
        if (link.syncProfile) await syncUser(m, link.userId, link.syncProfile, link.now);
        return saved;
      })
      .catch((error: unknown) => {
        if (violatedUniqueIndex(error) === 'loyalty_card_account_uq') return 'linked_elsewhere' as const;
        throw error;
      });
  }

  /** A card's new phone number and, with a profile, the user's copy of the member profile, in one transaction. */
  async changeNumber(card: LoyaltyCardEntity, number: string, sync: ExternalProfile | null, now: Date): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await m.update(LoyaltyCardEntity, { id: card.id }, { number });
      if (sync) await syncUser(m, card.userId, sync, now);
    });
  }

  async delete(cardId: number): Promise<void> {
    await this.dataSource.getRepository(LoyaltyCardEntity).delete({ id: cardId });
  }
}

/** Copies the member profile to the local user. */
async function syncUser(m: EntityManager, userId: number, profile: ExternalProfile, now: Date): Promise<void> {
  await m.update(
    UserEntity,
    { id: userId },
    {
      firstName: profile.first_name,
      lastName: profile.last_name,
      phone: profile.phone,
      gender: profile.gender,
      dateOfBirth: profile.date_of_birth,
      emailAllowed: profile.email_allowed ?? false,
      smsAllowed: profile.sms_allowed ?? false,
      callAllowed: profile.call_allowed,
      modifiedDate: now,
    },
  );
}
