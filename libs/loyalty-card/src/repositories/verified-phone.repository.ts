import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/common';
import { VerifiedPhoneEntity } from '../entities/verified-phone.entity';

/** A customer rarely proves more than a phone or two; only the newest few are read. */
const PHONES_PER_USER_MAX = 10;

/**
 * The form phones are compared in: the contract's pattern (`^\+?1?\d{9,15}$`) allows a leading `+` or not, so
 * `+90555…` and `90555…` are one phone. (A national form such as `0555…` cannot be told apart without a country.)
 */
export function phoneKey(phone: string): string {
  return phone.trim().replace(/^\+/, '');
}

/**
 * The phones each customer proved by a correct SMS code. They are the only proof of ownership the loyalty card
 * accepts: a phone typed into a profile or a form is unverified, never matches an external account, never
 * blocks anyone and never counts as taken (docs/security.md).
 */
@Injectable()
export class VerifiedPhoneRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Records that the user holds `phone` (a new proof refreshes the date). The newest proof wins: whoever proved
   * the phone before in the channel no longer holds it (numbers change hands), so an earlier holder can neither
   * block the current one nor link the number's membership.
   */
  async record(channelId: number, userId: number, phone: string): Promise<void> {
    const key = phoneKey(phone);
    await this.dataSource.transaction(async (m) => {
      await m.query('DELETE FROM verified_phone WHERE channel_id = $1 AND phone = $2 AND user_id <> $3', [
        channelId,
        key,
        userId,
      ]);
      await m
        .createQueryBuilder()
        .insert()
        .into(VerifiedPhoneEntity)
        .values({ channelId, userId, phone: key, verifiedAt: this.clock.now() })
        .orUpdate(['verified_at'], ['user_id', 'phone'])
        .execute();
    });
  }

  /** The user's verified phones (in `phoneKey` form), newest first. */
  async of(userId: number): Promise<string[]> {
    const rows = await this.dataSource.manager.find(VerifiedPhoneEntity, {
      where: { userId },
      order: { verifiedAt: 'DESC', id: 'DESC' },
      take: PHONES_PER_USER_MAX,
    });
    return rows.map((r) => r.phone);
  }

  async isVerified(userId: number, phone: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(VerifiedPhoneEntity, { userId, phone: phoneKey(phone) });
  }

  /** Has another active user of the channel proved this phone? */
  async verifiedByOther(channelId: number, userId: number, phone: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM verified_phone v JOIN users u ON u.id = v.user_id
        WHERE v.channel_id = $1 AND v.phone = $2 AND v.user_id <> $3 AND u.is_active LIMIT 1`,
      [channelId, phoneKey(phone), userId],
    );
    return rows.length > 0;
  }
}
