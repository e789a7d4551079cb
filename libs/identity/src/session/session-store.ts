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
  abstract save(idHash: string, session: StoredSession): Promise<void>;
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
    const ttlMs = Math.max(1, session.expiresAt.getTime() - this.clock.nowMs());
    const json: RedisSessionJson = {
      ...session,
      createdAt: session.createdAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
    };
    await this.client.set(this.redis.key('session', idHash), JSON.stringify(json), 'PX', ttlMs);
  }

  async delete(idHash: string): Promise<void> {
    await this.client.del(this.redis.key('session', idHash));
  }
}
