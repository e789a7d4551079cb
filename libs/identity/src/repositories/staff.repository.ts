import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { StaffTokenEntity } from '../entities/staff-token.entity';
import { StaffUserEntity } from '../entities/staff-user.entity';

/** Data access for staff users and their tokens; no rules here. */
@Injectable()
export class StaffRepository {
  constructor(
    @InjectRepository(StaffUserEntity) private readonly staff: Repository<StaffUserEntity>,
    @InjectRepository(StaffTokenEntity) private readonly tokens: Repository<StaffTokenEntity>,
  ) {}

  count(): Promise<number> {
    return this.staff.count();
  }

  findByUsername(username: string): Promise<StaffUserEntity | null> {
    return this.staff.findOne({ where: { username } });
  }

  /** An unrevoked token and its user; expiry is the caller's rule. */
  /** One query on every admin call: a join without LIMIT (findOne with relations would issue two). */
  findToken(tokenHash: string): Promise<StaffTokenEntity | null> {
    return this.tokens
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.staffUser', 's')
      .where('t.tokenHash = :tokenHash AND t.revokedAt IS NULL', { tokenHash })
      .getOne();
  }

  insertStaff(staff: Omit<StaffUserEntity, 'id'>): Promise<StaffUserEntity> {
    return this.staff.save(this.staff.create(staff));
  }

  async insertToken(token: Omit<StaffTokenEntity, 'id' | 'staffUser'>): Promise<void> {
    await this.tokens.insert(token);
  }

  async revokeToken(tokenHash: string, at: Date): Promise<boolean> {
    const result = await this.tokens.update({ tokenHash, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
