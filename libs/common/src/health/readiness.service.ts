import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../config/app-config';
import { ShutdownState } from '../http/shutdown-state';
import { RedisConnection } from '../redis/redis.module';
import { withTimeout } from '../async/with-timeout';

export const DEPENDENCIES = ['database', 'redis'] as const;
export type Dependency = (typeof DEPENDENCIES)[number];

export type Readiness =
  | { ready: true }
  | { ready: false; reason: 'shutting_down' }
  | { ready: false; reason: 'unavailable'; unavailable: Dependency[] };

/** A dependency that has not answered a probe within this long counts as down (issue 15). */
export const READINESS_TIMEOUT_MS = 1_000;

/**
 * What `/health/ready/` reports: ready unless the app is draining, PostgreSQL does not answer within 1 s, or Redis
 * (when configured) does not.
 *
 * The database is asked over a connection of its own, outside the app's pool, opened at the first probe and kept.
 * A probe never waits for a pooled connection: a pool that is merely busy (every connection checked out by slow
 * requests) says nothing about PostgreSQL, and failing readiness for it would take every instance out of the load
 * balancer at once, exactly when they are all busy. What fails readiness is PostgreSQL itself not answering `SELECT
 * 1` (down, frozen, unreachable, refusing connections). The cost is one connection per instance beyond
 * DATABASE_POOL_SIZE. Probes arriving together share one round of checks, so probes never queue up on it.
 */
@Injectable()
export class ReadinessService implements OnApplicationShutdown {
  private probeClient: Client | undefined;
  private round: Promise<Readiness> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly shutdown: ShutdownState,
  ) {}

  check(): Promise<Readiness> {
    if (this.shutdown.draining) return Promise.resolve({ ready: false, reason: 'shutting_down' });
    this.round ??= this.runChecks().finally(() => {
      this.round = undefined;
    });
    return this.round;
  }

  onApplicationShutdown(): void {
    this.dropProbeClient();
  }

  private async runChecks(): Promise<Readiness> {
    const [database, redis] = await Promise.all([this.databaseAnswers(), this.redisAnswers()]);
    const unavailable = DEPENDENCIES.filter((_, i) => ![database, redis][i]);
    return unavailable.length === 0 ? { ready: true } : { ready: false, reason: 'unavailable', unavailable };
  }

  private async databaseAnswers(): Promise<boolean> {
    try {
      await withTimeout(this.selectOne(), READINESS_TIMEOUT_MS);
      return true;
    } catch {
      // Lost, refused or frozen: a fresh connection next time rather than a query queued behind a hung one.
      this.dropProbeClient();
      return false;
    }
  }

  private async selectOne(): Promise<void> {
    if (!this.config.databaseUrl) throw new Error('DATABASE_URL is not set');
    let client = this.probeClient;
    if (!client) {
      client = new Client({
        connectionString: this.config.databaseUrl,
        connectionTimeoutMillis: READINESS_TIMEOUT_MS,
        statement_timeout: READINESS_TIMEOUT_MS,
        application_name: 'loyalty-service-readiness',
        keepAlive: true,
      });
      const own = client;
      // A connection lost between probes: forget it; the next probe opens a new one.
      own.on('error', () => {
        if (this.probeClient === own) this.dropProbeClient();
      });
      this.probeClient = own;
      await own.connect();
    }
    await client.query('SELECT 1');
  }

  private dropProbeClient(): void {
    const client = this.probeClient;
    this.probeClient = undefined;
    if (!client) return;
    // Not awaited: against a frozen server a polite goodbye never completes, so the socket is destroyed as well.
    client.end().catch(() => undefined);
    client.connection.stream.destroy();
  }

  private async redisAnswers(): Promise<boolean> {
    const client = this.redis.client;
    if (!client) return true;
    // Disconnected or reconnecting: a command would only wait in ioredis's offline queue.
    if (client.status !== 'ready') return false;
    try {
      return (await withTimeout(client.ping(), READINESS_TIMEOUT_MS)) === 'PONG';
    } catch {
      return false;
    }
  }
}
