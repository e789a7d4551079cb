import { Logger } from '@nestjs/common';

/** While an outage lasts, a connection's errors are logged at most once per this interval. */
export const CONNECTION_ERROR_LOG_INTERVAL_MS = 10_000;

/**
 * The log of one Redis connection's error events: through the app's logger (JSON, with the request-less context
 * `Redis`), at most once per interval while errors keep coming, with how many were left out since the last line,
 * and one line when the connection is back. A Redis client retries every few hundred ms during an outage; one line
 * per retry would drown the log, and ioredis prints non-JSON `[ioredis] Unhandled error event` lines to the console
 * when nothing listens. The error's message is kept (it names the address, never a password); no stack.
 */
export class ConnectionErrorLog {
  private readonly logger = new Logger('Redis');
  private lastLoggedMs = Number.NEGATIVE_INFINITY;
  private left = 0;
  private failing = false;

  constructor(
    private readonly connection: string,
    private readonly intervalMs = CONNECTION_ERROR_LOG_INTERVAL_MS,
    private readonly nowMs: () => number = Date.now,
  ) {}

  failed(error: unknown): void {
    this.failing = true;
    const now = this.nowMs();
    if (now - this.lastLoggedMs < this.intervalMs) {
      this.left += 1;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    this.logger.warn(
      {
        connection: this.connection,
        error: message,
        code: typeof code === 'string' ? code : undefined,
        left: this.left,
      },
      'Redis connection failing',
    );
    this.lastLoggedMs = now;
    this.left = 0;
  }

  recovered(): void {
    if (!this.failing) return;
    this.logger.warn({ connection: this.connection, left: this.left }, 'Redis connection back');
    this.failing = false;
    this.left = 0;
    this.lastLoggedMs = Number.NEGATIVE_INFINITY;
  }
}
