import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Clock } from '@app/common';
import { preparedRows, SqlParams, statementName } from '@app/database';
import { SessionEntity } from '../entities/session.entity';
import {
  type SessionChange,
  SessionStore,
  type SessionWriteResult,
  type StoredSession,
} from '../session/session-store';

/** Rows removed per sweep of expired sessions: bounded so a sweep never holds a request for long. */
const EXPIRED_SWEEP_BATCH = 500;

/** The session store in PostgreSQL (no REDIS_URL): the `sessions` table. */
@Injectable()
export class PostgresSessionStore extends SessionStore {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  /**
   * Read on every storefront request: one plain statement, without an entity query's building and mapping, and the
   * session's user (of the session's channel) in the same statement, so a request reads who is calling in one round
   * trip.
   */
  async get(idHash: string): Promise<StoredSession | undefined> {
    const rows: {
      channel_id: number;
      user_id: number | null;
      data: Record<string, unknown>;
      created_at: Date;
      expires_at: Date;
      user_row: Record<string, unknown> | null;
    }[] = await preparedRows(
      this.sessions.manager.dataSource,
      'session_get',
      `SELECT s.channel_id, s.user_id, s.data, s.created_at, s.expires_at, to_jsonb(u) AS user_row
         FROM sessions s LEFT JOIN users u ON u.id = s.user_id AND u.channel_id = s.channel_id
        WHERE s.id_hash = $1`,
      [idHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      channelId: row.channel_id,
      userId: row.user_id,
      data: row.data,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      userRow: row.user_row,
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

  /**
   * One UPDATE computes the new data from the row as it is when the row is locked (jsonb operators), so concurrent
   * writes to one session queue on the row and none is lost. The size is that of PostgreSQL's text of the jsonb,
   * which has a space after each `:` and `,`: a little stricter than JSON.stringify's.
   */
  async write(idHash: string, change: SessionChange, expiresAt: Date, bytesMax: number): Promise<SessionWriteResult> {
    const sql = new SqlParams([idHash, expiresAt]);
    const param = sql.add;
    const params = sql.values;
    let next = 'data';
    if (change.kind === 'set' && change.value === undefined) {
      next = `data - ${param(change.key)}::text`;
    } else if (change.kind === 'set') {
      next = `data || jsonb_build_object(${param(change.key)}::text, ${param(JSON.stringify(change.value))}::jsonb)`;
    } else if (change.kind === 'merge') {
      const key = `${param(change.key)}::text`;
      const entries = Object.entries(change.fields) as [string, unknown][];
      const set = JSON.stringify(Object.fromEntries(entries.filter(([, value]) => value !== undefined)));
      const unset = entries.filter(([, value]) => value === undefined).map(([field]) => field);
      const current = `CASE WHEN jsonb_typeof(data -> ${key}) = 'object' THEN data -> ${key} ELSE '{}'::jsonb END`;
      next = `jsonb_set(data, ARRAY[${key}], (${current} || ${param(set)}::jsonb) - ${param(unset)}::text[])`;
    }
    // A touch adds nothing, and must not fail on a session the size check would measure differently.
    const fits = change.kind === 'touch' ? '' : `AND octet_length((${next})::text) <= ${param(bytesMax)}::integer`;
    // Straight on the pool, prepared once per connection and text (a page writes its session on every post).
    const text = `UPDATE sessions SET data = ${next}, expires_at = $2 WHERE id_hash = $1 ${fits} RETURNING data`;
    const rows = await preparedRows<{ data: Record<string, unknown> }>(
      this.sessions.manager.dataSource,
      statementName(text),
      text,
      params,
    );
    if (rows.length === 1) return { outcome: 'written', data: rows[0].data };
    const stored = await this.sessions.exists({ where: { idHash } });
    return { outcome: stored ? 'too_large' : 'gone' };
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
