import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock, RedisConnection } from '@app/common';
import { sqlRows } from '../sql-rows';

/** One "at most `limit` in `windowMs`" rule applied to one key (an account, a code, a phone...). */
export interface CounterRule {
  /** Built with `counterKey`, so identities are hashed and the length bounded. */
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** The outcome of one try. */
export interface CounterTry {
  readonly allowed: boolean;
  /** Tries counted in the window, this one included when it was allowed. */
  readonly count: number;
  /** When the window ends, by the app's clock; a refused caller may try again then. */
  readonly resetAtMs: number;
}

export const COUNTER_KEY_LENGTH_MAX = 200;
const SCOPE_LENGTH_MAX = 120;
const LIMIT_MAX = 1_000_000;
const WINDOW_MS_MAX = 7 * 86_400_000;
const MEMBER_LENGTH_MAX = 128;

/** A counter key: a readable scope (`login:staff:address`) and a digest of the identities it is about. */
export function counterKey(scope: string, ...parts: readonly (string | number)[]): string {
  if (!/^[\w:.-]{1,120}$/.test(scope)) throw new Error(`counter scope must be 1..${SCOPE_LENGTH_MAX} of [\\w:.-]`);
  const digest = createHash('sha256')
    .update(JSON.stringify(parts.map(String)))
    .digest('hex');
  return `${scope}:${digest}`;
}

/** Seconds until a refused caller may try again: at least 1. */
export function retryAfterSeconds(attempt: CounterTry, nowMs: number): number {
  return Math.max(1, Math.ceil((attempt.resetAtMs - nowMs) / 1000));
}

function assertRule(rule: CounterRule, member: string | undefined): void {
  if (rule.key.length === 0 || rule.key.length > COUNTER_KEY_LENGTH_MAX) {
    throw new Error(`counter key must be 1..${COUNTER_KEY_LENGTH_MAX} characters`);
  }
  if (!Number.isInteger(rule.limit) || rule.limit < 1 || rule.limit > LIMIT_MAX) {
    throw new Error(`counter limit must be a whole number 1..${LIMIT_MAX}`);
  }
  if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1 || rule.windowMs > WINDOW_MS_MAX) {
    throw new Error(`counter window must be a whole number of ms 1..${WINDOW_MS_MAX}`);
  }
  if (member !== undefined && (member.length === 0 || member.length > MEMBER_LENGTH_MAX)) {
    throw new Error(`counter member must be 1..${MEMBER_LENGTH_MAX} characters`);
  }
}

/**
 * Fixed-window counters shared by every instance, for every "at most N" rule (login failures, SMS codes sent, SMS
 * code attempts, the resend interval, the per-address request limit). A try is counted and judged in one atomic
 * step of the store, so N tries at once, on any instances, count N; a try over the limit is refused and not counted.
 * The window starts with the first try and is timed by the app's clock (tests move it), which every instance
 * must keep in sync, as they must for the session and code expiries.
 *
 * Redis when REDIS_URL is set, PostgreSQL otherwise (see docs/adr/0009-abuse-counters.md).
 */
export abstract class Counters {
  /**
   * Counts one try, unless the rule's limit is reached in the current window (then it is refused, uncounted).
   * With a `member`, tries with the same member count once per window: the second is allowed, not counted again
   * (the same wrong SMS code posted again by the client's retries).
   */
  abstract consume(rule: CounterRule, member?: string): Promise<CounterTry>;

  /**
   * Gives back one try that `consume` allowed, when it turned out not to count (a login that succeeded). Nothing
   * happens once that try's window is over: a later window's count is never lowered.
   */
  abstract release(rule: CounterRule, taken: CounterTry): Promise<void>;
}

/**
 * KEYS: the counter's hash. ARGV: now ms, limit, window ms, member ('' for none).
 * Hash fields: n (tries counted), reset (window end, ms), m:<member> (members counted).
 * Returns allowed (1/0), count, window end.
 */
const CONSUME_SCRIPT = `
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local member = ARGV[4]
local reset = tonumber(redis.call('HGET', KEYS[1], 'reset'))
if not reset or reset <= now then
  redis.call('DEL', KEYS[1])
  reset = now + window
  redis.call('HSET', KEYS[1], 'n', 0, 'reset', reset)
  redis.call('PEXPIRE', KEYS[1], window)
end
local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
if member ~= '' and redis.call('HEXISTS', KEYS[1], 'm:' .. member) == 1 then return {1, n, reset} end
if n >= limit then return {0, n, reset} end
n = redis.call('HINCRBY', KEYS[1], 'n', 1)
if member ~= '' then redis.call('HSET', KEYS[1], 'm:' .. member, 1) end
return {1, n, reset}
`;

/** KEYS: the counter's hash. ARGV: the window end of the try given back. */
const RELEASE_SCRIPT = `
if tonumber(redis.call('HGET', KEYS[1], 'reset')) == tonumber(ARGV[1]) and
   tonumber(redis.call('HGET', KEYS[1], 'n')) > 0 then
  redis.call('HINCRBY', KEYS[1], 'n', -1)
end
return 0
`;

/** One hash per counter, changed by one Lua script per call; Redis's own expiry removes finished windows. */
export class RedisCounters extends Counters {
  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
  ) {
    super();
  }

  async consume(rule: CounterRule, member?: string): Promise<CounterTry> {
    assertRule(rule, member);
    const [allowed, count, resetAtMs] = (await this.client().eval(
      CONSUME_SCRIPT,
      1,
      this.redis.key('counter', rule.key),
      String(this.clock.nowMs()),
      String(rule.limit),
      String(rule.windowMs),
      member ?? '',
    )) as [number, number, number];
    return { allowed: allowed === 1, count, resetAtMs };
  }

  async release(rule: CounterRule, taken: CounterTry): Promise<void> {
    if (!taken.allowed) return;
    await this.client().eval(RELEASE_SCRIPT, 1, this.redis.key('counter', rule.key), String(taken.resetAtMs));
  }

  private client() {
    const client = this.redis.client;
    if (!client) throw new Error('RedisCounters needs REDIS_URL');
    return client;
  }
}

/** Finished windows are deleted at most this often per instance, at most this many rows at a time. */
const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_ROWS_MAX = 1_000;

interface CounterRow {
  allowed: boolean;
  hits: number;
  reset_at: Date;
}

/**
 * One row per counter in `rate_counter`, changed by one `INSERT ... ON CONFLICT DO UPDATE ... WHERE` statement:
 * PostgreSQL locks the row and judges the limit on its latest version, so concurrent tries queue on the row and
 * each sees the count the previous one left.
 */
export class PostgresCounters extends Counters {
  private readonly logger = new Logger('Counters');
  private nextSweepMs = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {
    super();
  }

  async consume(rule: CounterRule, member?: string): Promise<CounterTry> {
    assertRule(rule, member);
    const nowMs = this.clock.nowMs();
    this.sweepWhenDue(nowMs);
    const rows = await sqlRows<CounterRow>(
      this.dataSource.manager,
      `WITH hit AS (
         INSERT INTO rate_counter AS c (key, hits, members, reset_at) VALUES ($1, 1, $5::text[], $3)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN c.reset_at <= $2 THEN 1
                       WHEN $4::text IS NOT NULL AND $4::text = ANY (c.members) THEN c.hits
                       ELSE c.hits + 1 END,
           members = CASE WHEN c.reset_at <= $2 THEN EXCLUDED.members
                          WHEN $4::text IS NULL OR $4::text = ANY (c.members) THEN c.members
                          ELSE c.members || $4::text END,
           reset_at = CASE WHEN c.reset_at <= $2 THEN EXCLUDED.reset_at ELSE c.reset_at END
         WHERE c.reset_at <= $2 OR c.hits < $6 OR ($4::text IS NOT NULL AND $4::text = ANY (c.members))
         RETURNING c.hits, c.reset_at
       )
       SELECT true AS allowed, hits, reset_at FROM hit
       UNION ALL
       SELECT false AS allowed, hits, reset_at FROM rate_counter WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM hit)`,
      [
        rule.key,
        new Date(nowMs),
        new Date(nowMs + rule.windowMs),
        member ?? null,
        member === undefined ? [] : [member],
        rule.limit,
      ],
    );
    const row = rows[0];
    // Refused, and the row's newest version is not in this statement's snapshot: the window's end is unknown,
    // so the caller is told to wait a whole window.
    if (!row) return { allowed: false, count: rule.limit, resetAtMs: nowMs + rule.windowMs };
    return { allowed: row.allowed, count: row.hits, resetAtMs: row.reset_at.getTime() };
  }

  async release(rule: CounterRule, taken: CounterTry): Promise<void> {
    if (!taken.allowed) return;
    await sqlRows(
      this.dataSource.manager,
      'UPDATE rate_counter SET hits = hits - 1 WHERE key = $1 AND reset_at = $2 AND hits > 0',
      [rule.key, new Date(taken.resetAtMs)],
    );
  }

  /** Deletes finished windows now and then; a failure only delays that. */
  private sweepWhenDue(nowMs: number): void {
    if (nowMs < this.nextSweepMs) return;
    this.nextSweepMs = nowMs + SWEEP_INTERVAL_MS;
    // The outer `reset_at <= $1` is re-checked on the row's latest version when a concurrent try renewed the window
    // meanwhile (READ COMMITTED re-evaluates the row's own conditions, not the subquery): a live window survives.
    sqlRows(
      this.dataSource.manager,
      `DELETE FROM rate_counter
        WHERE reset_at <= $1 AND key IN (SELECT key FROM rate_counter WHERE reset_at <= $1 LIMIT ${SWEEP_ROWS_MAX})`,
      [new Date(nowMs)],
    ).catch((error: unknown) => {
      this.logger.warn({ err: (error as Error).message }, 'Finished rate counters not deleted');
    });
  }
}
