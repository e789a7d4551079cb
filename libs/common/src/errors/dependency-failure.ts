/**
 * Which dependency an unexpected error says is unavailable, if any: PostgreSQL unreachable or restarting, a
 * connection lost or terminated, no pool connection within the wait, a statement that hit its timeout, a lock wait
 * or serialisation failure the client may simply retry; Redis unreachable or not answering. Such a request answers
 * 503 with `Retry-After` (the client may try again in a moment), never 500 (a bug). Nothing about the cause reaches
 * the client; the log line names it.
 */
export type Dependency = 'database' | 'redis';

/** SQLSTATE classes and codes that mean "try again", not "bug" (PostgreSQL appendix A). */
const RETRYABLE_SQLSTATES = new Set([
  '57014', // query_canceled: the statement timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);

/** Messages of node-postgres, its pool and TypeORM when a connection is gone or cannot be had. */
const DATABASE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection (?:is )?(?:closed|ended)/i,
  /query runner already released/i,
  /cannot use a pool after calling end/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
];

/** Messages of ioredis when Redis is unreachable or does not answer. */
const REDIS_MESSAGES = [
  /max retries per request/i,
  /stream isn't writeable/i,
  /connection is closed/i,
  /command timed out/i,
  /redis/i,
];

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

export function dependencyFailureOf(error: unknown, depth = 0): Dependency | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const e = error as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const isRedis = name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.some((p) => p.test(message));
  if (isRedis && !/sql|postgres/i.test(message)) return 'redis';
  if (RETRYABLE_SQLSTATES.has(code) || code.startsWith('08')) return 'database';
  if (DATABASE_MESSAGES.some((p) => p.test(message))) return 'database';
  if (NETWORK_CODES.has(code)) return /redis|6379/i.test(message) ? 'redis' : 'database';
  return dependencyFailureOf(e.driverError, depth + 1) ?? dependencyFailureOf(e.cause, depth + 1);
}
