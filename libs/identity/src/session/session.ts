/**
 * The caller's session as a request sees it. An anonymous visitor has a session without an id until something is
 * stored in it; nothing is written for visitors who only browse. Services read `data` with `get` and write through
 * `SessionService.set`, which persists at once.
 */
export class Session {
  /** The Set-Cookie value this response must carry, if any (one per response: the client's proxy keeps one). */
  setCookie: string | undefined;
  /**
   * Set when a write found the session gone from the store (a sign-in or sign-out re-issued or ended it, possibly
   * on another instance): the rest of the request writes nothing, so the old id is never brought back.
   */
  ended = false;
  /** The user's row as the store read it with the session (see StoredSession.userRow); never written back. */
  storedUserRow?: Record<string, unknown> | null;

  constructor(
    public id: string | undefined,
    public userId: number | null,
    public data: Record<string, unknown>,
    public createdAt: Date | undefined,
  ) {}

  get isAuthenticated(): boolean {
    return this.userId !== null;
  }

  /** A value of the data bag; callers check its type (it round-trips through JSON). */
  get(key: string): unknown {
    return this.data[key];
  }
}

/** The session a sign-in replaced, as it was: whose it was and its data (read-only; its id no longer works). */
export interface ReplacedSession {
  userId: number | null;
  data: Readonly<Record<string, unknown>>;
}
