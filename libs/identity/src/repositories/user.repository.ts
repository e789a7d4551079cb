import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { entityFromJson } from '@app/database';
import { UserEntity } from '../entities/user.entity';

export interface UserFilter {
  channelId: number;
  emailLower?: string;
  emailContains?: string;
  id?: number;
}

/** Columns a service may change (JSON columns have their own methods when a feature needs them). */
export type UserChanges = Partial<Omit<UserEntity, 'id' | 'channelId' | 'channel' | 'attributes' | 'attributesKwargs'>>;

/** Raised when an insert collides with the (channel, lower(e-mail)) unique index. */
export class DuplicateEmailError extends Error {}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

/** Data access for users; no rules here. */
@Injectable()
export class UserRepository {
  constructor(@InjectRepository(UserEntity) private readonly users: Repository<UserEntity>) {}

  findById(channelId: number, id: number): Promise<UserEntity | null> {
    return this.users.findOne({ where: { channelId, id } });
  }

  /** A user's id and e-mail alone (every account view shows it): one plain statement, no entity mapping. */
  async findEmailById(channelId: number, id: number): Promise<{ id: number; email: string } | null> {
    const rows: { id: number; email: string }[] = await this.users.query(
      'SELECT id, email FROM users WHERE channel_id = $1 AND id = $2',
      [channelId, id],
    );
    return rows[0] ?? null;
  }

  /**
   * The entity of a user row read as JSON (`to_jsonb(users)`, column names), as `findById` would load it: timestamps
   * become Dates; null unless it is that user of that channel.
   */
  fromRow(row: Record<string, unknown>, channelId: number, id: number): UserEntity | null {
    if (row.id !== id || row.channel_id !== channelId) return null;
    return entityFromJson(this.users.manager.dataSource, UserEntity, row);
  }

  findByEmail(channelId: number, emailLower: string): Promise<UserEntity | null> {
    return this.users.findOne({ where: { channelId, emailLower } });
  }

  /** The insert's parameters include the password hash: a driver error is replaced, never passed on or logged. */
  async insert(user: Omit<UserEntity, 'id' | 'channel'>): Promise<UserEntity> {
    try {
      return await this.users.save(this.users.create(user));
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEmailError('duplicate e-mail');
      throw new Error('user insert failed', { cause: (error as { code?: string }).code });
    }
  }

  async update(user: UserEntity, changes: UserChanges): Promise<UserEntity> {
    await this.users.update({ id: user.id, channelId: user.channelId }, changes);
    return Object.assign(user, changes);
  }

  async list(filter: UserFilter, offset: number, limit: number): Promise<[UserEntity[], number]> {
    const query = this.users
      .createQueryBuilder('u')
      .where('u.channel_id = :channelId', { channelId: filter.channelId })
      .orderBy('u.id', 'ASC')
      .skip(offset)
      .take(limit);
    if (filter.id !== undefined) query.andWhere('u.id = :id', { id: filter.id });
    if (filter.emailLower !== undefined)
      query.andWhere('u.email_lower = :emailLower', { emailLower: filter.emailLower });
    if (filter.emailContains !== undefined) {
      const pattern = `%${filter.emailContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere("u.email_lower LIKE :pattern ESCAPE '\\'", { pattern });
    }
    return query.getManyAndCount();
  }
}
