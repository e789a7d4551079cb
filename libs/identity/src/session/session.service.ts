import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '@app/common';
import { randomToken, sha256Hex } from '../services/tokens';
import { type ReplacedSession, Session } from './session';
import { applySessionChange, type SessionChange, SessionStore, type StoredSession } from './session-store';

export const SESSION_COOKIE = 'osessionid';
/** The storefront sends the same id under both names; older storefronts only under `sessionid`. */
export const SESSION_COOKIE_ALIASES = [SESSION_COOKIE, 'sessionid'] as const;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_]{32,128}$/;
/** JSON size of a session's data bag: sessions hold small state (verification codes, checkout steps), not blobs. */
export const SESSION_DATA_BYTES_MAX = 64 * 1024;

/**
 * Server-side sessions with sliding expiry. The id is 256 random bits in hex; the store only sees its hash.
 * A session is re-issued with a new id at login (no fixation) and deleted at logout; a write never recreates an id
 * that either ended, whichever instance ended it. A write to a stored session changes only the key (or the fields)
 * it names, atomically in the store, so requests of one session running at once, on any instance, lose nothing of
 * each other's; `session.data` then holds the store's data after the write, theirs included.
 */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SessionStore) private readonly store: SessionStore,
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  private get ttlMs(): number {
    return this.config.sessionTtlSeconds * 1000;
  }

  /** The session named by a cookie value; anonymous (and id-less) when unknown, expired or of another channel. */
  async load(rawId: string | undefined, channelId: number): Promise<Session> {
    if (!rawId || !SESSION_ID_PATTERN.test(rawId)) return this.anonymous();
    const idHash = sha256Hex(rawId);
    const stored = await this.store.get(idHash);
    const now = this.clock.nowMs();
    if (!stored || stored.channelId !== channelId) return this.anonymous();
    if (stored.expiresAt.getTime() <= now) {
      await this.store.delete(idHash);
      return this.anonymous();
    }
    const session = new Session(rawId, stored.userId, stored.data, stored.createdAt);
    session.storedUserRow = stored.userRow;
    // Sliding expiry, written at most once per tenth of the TTL rather than on every request.
    if (stored.expiresAt.getTime() - now < this.ttlMs * 0.9) await this.write(session, channelId, { kind: 'touch' });
    return session.ended ? this.anonymous() : session;
  }

  /** Sets (or, with `undefined`, removes) one key; a visitor's session is created here. */
  set(session: Session, channelId: number, key: string, value: unknown): Promise<void> {
    return this.write(session, channelId, { kind: 'set', key, value });
  }

  /**
   * Sets fields of the object under `key` (`undefined` removes a field), leaving its other fields as the store holds
   * them: two requests that merge different fields of one key at once both keep theirs (the checkout's steps).
   */
  merge(session: Session, channelId: number, key: string, fields: Readonly<object>): Promise<void> {
    return this.write(session, channelId, { kind: 'merge', key, fields });
  }

  /**
   * Signs a user in under a new id; the old id stops working (no fixation). The data goes along when the session
   * was anonymous or already this user's. When it belonged to another user, none of theirs may (checkout steps,
   * SMS codes, whatever a lib keeps): the new session starts empty, and the login hooks, given the replaced
   * session, carry over only what belongs to nobody (the checkout: an anonymous basket). The owner is the one the
   * store holds for this id, the same on every instance: only a sign-in changes it, and that re-issues the id.
   */
  async login(session: Session, channelId: number, userId: number): Promise<ReplacedSession> {
    const replaced: ReplacedSession = { userId: session.userId, data: session.data };
    if (session.id) await this.store.delete(sha256Hex(session.id));
    const anotherUsers = session.userId !== null && session.userId !== userId;
    session.id = randomToken();
    session.userId = userId;
    session.data = anotherUsers ? {} : session.data;
    session.ended = false;
    session.createdAt = this.clock.now();
    await this.create(session, channelId);
    await this.store.sweepExpired();
    return replaced;
  }

  async logout(session: Session): Promise<void> {
    if (session.id) await this.store.delete(sha256Hex(session.id));
    session.id = undefined;
    session.userId = null;
    session.data = {};
    session.setCookie = this.cookie('', 0);
  }

  private anonymous(): Session {
    return new Session(undefined, null, {}, undefined);
  }

  /** A visitor's first write creates the session; a stored one gets only the change, applied by the store. */
  private async write(session: Session, channelId: number, change: SessionChange): Promise<void> {
    if (session.ended) return;
    if (!session.id) {
      const data = applySessionChange(session.data, change);
      // Checked before the session takes the data and an id: a refused first write leaves it a visitor's.
      this.requireWithinLimit(data);
      session.data = data;
      session.id = randomToken();
      return this.create(session, channelId);
    }
    const expiresAt = new Date(this.clock.nowMs() + this.ttlMs);
    const written = await this.store.write(sha256Hex(session.id), change, expiresAt, SESSION_DATA_BYTES_MAX);
    switch (written.outcome) {
      case 'too_large':
        throw new Error(`session data exceeds the limit of ${SESSION_DATA_BYTES_MAX} bytes`);
      case 'gone':
        // Ended meanwhile by a sign-in or sign-out: this request goes on as a visitor and writes nothing more. No
        // cookie either way: the browser may already hold the new session's, and a clearing one would sign it out.
        session.id = undefined;
        session.userId = null;
        session.data = {};
        session.setCookie = undefined;
        session.ended = true;
        return;
      case 'written':
        session.data = written.data;
        session.setCookie = this.cookie(session.id, this.config.sessionTtlSeconds);
        return;
    }
  }

  /** Stores a session under an id just drawn, with all its data. */
  private async create(session: Session, channelId: number): Promise<void> {
    const id = session.id;
    if (!id) throw new Error('create needs a session id');
    this.requireWithinLimit(session.data);
    const now = this.clock.now();
    session.createdAt ??= now;
    const stored: StoredSession = {
      channelId,
      userId: session.userId,
      data: session.data,
      createdAt: session.createdAt,
      expiresAt: new Date(now.getTime() + this.ttlMs),
    };
    await this.store.save(sha256Hex(id), stored);
    session.setCookie = this.cookie(id, this.config.sessionTtlSeconds);
  }

  private requireWithinLimit(data: Record<string, unknown>): void {
    const bytes = Buffer.byteLength(JSON.stringify(data), 'utf8');
    if (bytes > SESSION_DATA_BYTES_MAX) throw new Error(`session data of ${bytes} bytes exceeds the limit`);
  }

  /** Max-Age, never Expires: an Expires date has a comma, and the client's proxy joins cookies with ", ". */
  private cookie(value: string, maxAgeSeconds: number): string {
    const parts = [`${SESSION_COOKIE}=${value}`, `Max-Age=${maxAgeSeconds}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
    if (this.config.sessionCookieSecure) parts.push('Secure');
    return parts.join('; ');
  }
}
