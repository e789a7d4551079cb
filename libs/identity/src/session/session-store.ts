import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, RedisConnection } from '@app/common';

export interface StoredSession {
  channelId: number;
  userId: number | null;
  data: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  /**
   * The session's user as its row is stored (column names), read with the session where the store can do it in the
   * same statement (PostgreSQL): null when the session has no user or the user is gone; undefined when the store
   * did not read it (Redis), and the user is read on its own.
   */
  userRow?: Record<string, unknown> | null;
}

/**
 * One write to a stored session. It changes only what it names, so writes of other keys or fields that land in
 * between survive it: `set` replaces one key's value (`undefined` removes the key); `merge` sets fields of the
 * object under a key (`undefined` removes a field; a key holding no object starts from `{}`); `touch` moves only
 * the expiry. Every write also sets the expiry.
 */
export type SessionChange =
  | { kind: 'set'; key: string; value: unknown }
  | { kind: 'merge'; key: string; fields: Readonly<object> }
  | { kind: 'touch' };

/** `gone`: the session is no longer stored (ended, or expired) and nothing was written. */
export type SessionWriteResult =
  { outcome: 'written'; data: Record<string, unknown> } | { outcome: 'gone' } | { outcome: 'too_large' };

/** The data after a change: what every store's `write` must do, in one place (the Redis store runs it). */
export function applySessionChange(data: Record<string, unknown>, change: SessionChange): Record<string, unknown> {
  if (change.kind === 'touch') return data;
  const rest = Object.fromEntries(Object.entries(data).filter(([name]) => name !== change.key));
  if (change.kind === 'set') return change.value === undefined ? rest : { ...rest, [change.key]: change.value };
  const current = data[change.key];
  const fields = Object.entries(change.fields) as [string, unknown][];
  const removed = new Set(fields.filter(([, value]) => value === undefined).map(([field]) => field));
  const kept = Object.entries(isObject(current) ? current : {}).filter(([field]) => !removed.has(field));
  const merged = Object.fromEntries([...kept, ...fields.filter(([, value]) => value !== undefined)]);
  return { ...rest, [change.key]: merged };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where sessions live, keyed by the SHA-256 of their id. Expiry is decided by the caller against the injected
 * Clock (so tests can move time); the stores also drop expired entries on their own (Redis TTL, PostgreSQL sweep).
 */
export abstract class SessionStore {
  abstract get(idHash: string): Promise<StoredSession | undefined>;
  /** Writes a session under an id just drawn (created, or replaced should the id exist). */
  abstract save(idHash: string, session: StoredSession): Promise<void>;
  /**
   * Applies one change (see `applySessionChange`) to a session that is still stored, atomically against every other
   * write on any instance, and sets its expiry; answers the data as stored after it. `gone`, writing nothing, when
   * the session is not stored: a request that loaded a session before a sign-in or sign-out ended it (on any
   * instance) must not bring the old id back to life. `too_large`, writing nothing, when a `set` or `merge` would
   * leave the data over `bytesMax` (JSON text, as the store measures it).
   */
  abstract write(idHash: string, change: SessionChange, expiresAt: Date, bytesMax: number): Promise<SessionWriteResult>;
  abstract delete(idHash: string): Promise<void>;

  /** Drops a bounded batch of expired sessions where the store does not expire them itself. */
  sweepExpired(): Promise<void> {
    return Promise.resolve();
  }
}

interface RedisSessionJson {
  channelId: number;
  userId: number | null;
  data: Record<string, unknown>;
  createdAt: string;
  expiresAt: string;
}

/**
 * Compare-and-set: writes ARGV[2] with TTL ARGV[3] ms only while the key still holds the value whose SHA-1 is
 * ARGV[1]. Returns 1 written, 0 gone (nothing stored), -1 changed since it was read (nothing written).
 */
const COMPARE_AND_SET_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if redis.sha1hex(current) ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;
/**
 * Reads and compare-and-sets of one write. Each lost race means another write of the same session succeeded in
 * between, so up to this many writes of one session at once all succeed; a session sees a handful (the client posts
 * two checkout steps together), and more than this is a client gone wrong, answered with a 500 on its own session.
 */
const REDIS_WRITE_ATTEMPTS_MAX = 16;

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
    return text === null ? undefined : this.parse(text);
  }

  async save(idHash: string, session: StoredSession): Promise<void> {
    await this.client.set(this.redis.key('session', idHash), this.json(session), 'PX', this.ttlMs(session));
  }

  /**
   * Read, change in JS, then compare-and-set in one script; a lost race reads again and applies the change on top
   * of the write that won, so none is lost. Not a Lua script that merges by itself: Redis's cjson turns every empty
   * array of the session into `{}` and rounds numbers to 14 digits, so decoding and encoding the whole session in
   * Lua would corrupt data the write never touched. The compare is on the stored bytes, so nothing else can differ.
   */
  async write(idHash: string, change: SessionChange, expiresAt: Date, bytesMax: number): Promise<SessionWriteResult> {
    const key = this.redis.key('session', idHash);
    for (let attempt = 1; attempt <= REDIS_WRITE_ATTEMPTS_MAX; attempt++) {
      const read = await this.client.getBuffer(key);
      if (read === null) return { outcome: 'gone' };
      const session = this.parse(read.toString('utf8'));
      const data = applySessionChange(session.data, change);
      const next = this.json({ ...session, data, expiresAt });
      if (change.kind !== 'touch' && Buffer.byteLength(JSON.stringify(data), 'utf8') > bytesMax) {
        return { outcome: 'too_large' };
      }
      const sha1 = createHash('sha1').update(read).digest('hex');
      const ttlMs = String(this.ttlMs({ expiresAt }));
      const answer = await this.client.eval(COMPARE_AND_SET_SCRIPT, 1, key, sha1, next, ttlMs);
      if (answer === 1) return { outcome: 'written', data };
      if (answer === 0) return { outcome: 'gone' };
    }
    throw new Error(`a session write lost ${REDIS_WRITE_ATTEMPTS_MAX} races in a row to other writes of the session`);
  }

  async delete(idHash: string): Promise<void> {
    await this.client.del(this.redis.key('session', idHash));
  }

  private parse(text: string): StoredSession {
    const json = JSON.parse(text) as RedisSessionJson;
    return { ...json, createdAt: new Date(json.createdAt), expiresAt: new Date(json.expiresAt) };
  }

  private ttlMs(session: Pick<StoredSession, 'expiresAt'>): number {
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
