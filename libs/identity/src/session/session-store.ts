import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock, RedisConnection } from '@app/common';
import { SessionEntity } from '../entities/session.entity';

export interface StoredSession {
  channelId: number;
  userId: number | null;
  data: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

/** Rows removed per sweep of expired sessions: bounded so a sweep never holds a request for long. */
const EXPIRED_SWEEP_BATCH = 500;

/**
 * Where sessions live, keyed by the SHA-256 of their id. Expiry is decided by the caller against the injected
 * Clock (so tests can move time); the stores also drop expired entries on their own (Redis TTL, PostgreSQL sweep).
 */
export abstract class SessionStore {
  abstract get(idHash: string): Promise<StoredSession | undefined>;
  /** Writes a session under an id just drawn (created, or replaced should the id exist). */
  abstract save(idHash: string, session: StoredSession): Promise<void>;
  /**
   * Rewrites a session that is still stored; false, writing nothing, when it is gone. A request that loaded a
   * session before a sign-in or sign-out ended it (on any instance) must not bring the old id back to life.
   */
  abstract update(idHash: string, session: StoredSession): Promise<boolean>;
  abstract delete(idHash: string): Promise<void>;

  /** Drops a bounded batch of expired sessions where the store does not expire them itself. */
  sweepExpired(): Promise<void> {
    return Promise.resolve();
  }
}

@Injectable()
export class PostgresSessionStore extends SessionStore {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async get(idHash: string): Promise<StoredSession | undefined> {
    const row = await this.sessions.findOne({ where: { idHash } });
    if (!row) return undefined;
    return {
      channelId: row.channelId,
      userId: row.userId,
      data: row.data,
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    };
  }

  async save(idHash: string, session: StoredSession): Promise<void> {
    await this.sessions.query(
      `INSERT INTO sessions (id_hash, channel_id, user_id, data, created_at, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6)
       ON CONFLICT (id_hash) DO UPDATE SET
         channel_id = EXCLUDED.channel_id, user_id = EXCLUDED.user_id, data = EXCLUDED.data,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
      [idHash, session.channelId, session.userId, JSON.stringify(session.data), session.createdAt, session.expiresAt],
    );
  }

  async update(idHash: string, session: StoredSession): Promise<boolean> {
    // TypeORM answers an UPDATE on PostgreSQL with [rows, affected row count].
    const [, affected] = await this.sessions.query<[unknown[], number]>(
      `UPDATE sessions SET channel_id = $2, user_id = $3, data = $4::jsonb, created_at = $5, expires_at = $6
        WHERE id_hash = $1`,
      [idHash, session.channelId, session.userId, JSON.stringify(session.data), session.createdAt, session.expiresAt],
    );
    return affected === 1;
  }

  async delete(idHash: string): Promise<void> {
    await this.sessions.delete({ idHash });
  }

  /** Removes a bounded batch of expired sessions; called on login, so the table cannot grow without bound. */
  override async sweepExpired(): Promise<void> {
    await this.sessions
      .createQueryBuilder()
      .delete()
      .where(
        `id_hash IN (SELECT id_hash FROM sessions WHERE expires_at < :now ORDER BY expires_at LIMIT ${EXPIRED_SWEEP_BATCH})`,
        { now: this.clock.now() },
      )
      .execute();
  }
}

interface RedisSessionJson {
  channelId: number;
  userId: number | null;
  data: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
}

/** Sessions shared by every instance through Redis (REDIS_URL); each key expires with its session. */
@Injectable()
export class RedisSessionStore extends SessionStore {
  constructor(
    @Inject(RedisConnection) private readonly redis: RedisConnection,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  private get client() {
    const client = this.redis.client;
    if (!client) throw new Error('RedisSessionStore needs REDIS_URL');
    return client;
  }

  async get(idHash: string): Promise<StoredSession | undefined> {
    const text = await this.client.get(this.redis.key('session', idHash));
    if (text === null) return undefined;
    const json = JSON.parse(text) as RedisSessionJson;
    return { ...json, createdAt: new Date(json.createdAt), expiresAt: new Date(json.expiresAt) };
  }

  async save(idHash: string, session: StoredSession): Promise<void> {
    await this.client.set(this.redis.key('session', idHash), this.json(session), 'PX', this.ttlMs(session));
  }

  async update(idHash: string, session: StoredSession): Promise<boolean> {
    // XX: only while the key exists, in the one command, so a concurrent delete cannot be overwritten.
    const written = await this.client.set(
      this.redis.key('session', idHash),
      this.json(session),
      'PX',
      this.ttlMs(session),
      'XX',
    );
    return written === 'OK';
  }

  async delete(idHash: string): Promise<void> {
    await this.client.del(this.redis.key('session', idHash));
  }

  private ttlMs(session: StoredSession): number {
    return Math.max(1, session.expiresAt.getTime() - this.clock.nowMs());
  }

  private json(session: StoredSession): string {
    const json: RedisSessionJson = {
      ...session,
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    };
    return JSON.stringify(json);
  }
}
