/**
 * What may reach a log line of a request or an error (docs/security.md, "What is logged"). Request bodies and headers
 * are never logged; these functions keep the rest free of secrets and personal data: tokens in paths, personal
 * values in query strings, and the parameters and row details a database error carries.
 */

/** Query parameters whose values are logged as sent: paging, ordering and filters by id, state or place. */
const LOGGED_QUERY_PARAMETERS = new Set([
  'page',
  'page_size',
  'limit',
  'offset',
  'cursor',
  'ordering',
  'sort',
  'format',
  'currency',
  'status',
  'kind',
  'type',
  'channel',
  'account',
  'user',
  'country',
  'city',
  'township',
  'district',
  'is_active',
  'retailstore__isnull',
  'created_date__gte',
  'created_date__lte',
  'created_date__gt',
  'created_date__lt',
]);

/** Path segments after these carry a secret of their own (the thank-you page's order token). */
const SECRET_PATH_PREFIXES = [/^(\/orders\/completed\/)[^/?]+/];

export const REDACTED = '[redacted]';

/** The URL as logged: a secret path segment and every query value not known to be harmless are `[redacted]`. */
export function safeUrl(url: string): string {
  const at = url.indexOf('?');
  let path = at === -1 ? url : url.slice(0, at);
  for (const prefix of SECRET_PATH_PREFIXES) path = path.replace(prefix, `$1${REDACTED}`);
  if (at === -1) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      if (eq === -1) return name.slice(0, 64);
      return LOGGED_QUERY_PARAMETERS.has(name) ? pair.slice(0, 128) : `${name.slice(0, 64)}=${REDACTED}`;
    })
    .join('&');
  return `${path}?${query}`;
}

/** A statement as logged: its text with placeholders (never its parameters), whitespace folded, bounded. */
export function statementShape(query: unknown): string | undefined {
  if (typeof query !== 'string') return undefined;
  const folded = query.replace(/\s+/g, ' ').trim();
  return folded.length > 300 ? `${folded.slice(0, 300)}…` : folded;
}

/**
 * A message as logged: PostgreSQL and drivers quote the offending value in some messages (`invalid input syntax
 * for type integer: "…"`, `Key (email)=(…)`), and any e-mail address is personal data.
 */
export function safeMessage(message: string): string {
  return message
    .replace(/:\s*"(?:[^"\\]|\\.)*"/g, `: "${REDACTED}"`)
    .replace(/\(([^()]*)\)=\((?:[^()]|\([^()]*\))*\)/g, `($1)=(${REDACTED})`)
    .replace(/Failing row contains .*/gs, `Failing row contains ${REDACTED}`)
    .replace(/[^\s@"'(),:;<>[\]]+@[^\s@"'(),:;<>[\]]+/g, REDACTED)
    .slice(0, 500);
}

/** Fields of a database error that are safe and useful: which rule failed, where. */
const SAFE_ERROR_FIELDS = ['code', 'constraint', 'table', 'column', 'schema', 'routine', 'severity', 'status'];

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  stack?: unknown;
  query?: unknown;
  driverError?: unknown;
  cause?: unknown;
  [field: string]: unknown;
}

/**
 * pino's serializer of `err`: type, message and stack made safe, the safe fields of a database error, the
 * statement's shape; never `parameters`, `detail` (the failing row), `where`, nor any other property an error may
 * carry. A string (some lines log `err: error.message`) is made safe the same way.
 */
export function safeError(error: unknown, depth = 0): unknown {
  if (typeof error === 'string') return safeMessage(error);
  if (typeof error !== 'object' || error === null) return error;
  const e = error as ErrorLike;
  const message = typeof e.message === 'string' ? safeMessage(e.message) : undefined;
  const out: Record<string, unknown> = {
    // An error made safe already (by `safeError`) keeps its type when it is made safe again.
    type: typeof e.name === 'string' ? e.name : typeof e.type === 'string' ? e.type : error.constructor.name,
    message,
  };
  for (const field of SAFE_ERROR_FIELDS) {
    const value = e[field];
    if (typeof value === 'string' || typeof value === 'number') out[field] = value;
  }
  const statement = statementShape(e.query);
  if (statement) out.statement = statement;
  if (typeof e.stack === 'string') {
    // The stack's first line repeats the message; the frames are code locations.
    const frames = e.stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
    out.stack = [`${String(out.type)}: ${message ?? ''}`, ...frames.slice(0, 15)].join('\n');
  }
  if (depth < 3 && e.driverError && e.driverError !== error) out.driverError = safeError(e.driverError, depth + 1);
  if (depth < 3 && e.cause && e.cause !== error) out.cause = safeError(e.cause, depth + 1);
  return out;
}
