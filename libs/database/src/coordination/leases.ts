import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlRows } from '../sql-rows';

/** A lease held: give it back with `release` (or let it expire). */
export interface Lease {
  readonly name: string;
  readonly holder: string;
}

export interface ClaimOptions {
  /** How long the lease lasts unless renewed; a holder that dies frees it after this. */
  ttlMs: number;
  /** How long to keep trying when someone else holds it (0: one try). */
  waitMs?: number;
}

const POLL_MIN_MS = 10;
const POLL_MAX_MS = 200;
const NAME_LENGTH_MAX = 200;

/**
 * Named leases in PostgreSQL (table `lease`): a mutual exclusion across every instance that holds no connection
 * while it is held. Each acquire, renew and release is one autocommitted statement on the pool, and the database's
 * clock decides expiry, so instances with skewed clocks agree. A holder that dies (process killed, connection lost)
 * frees the lease when it expires; a long piece of work keeps it with `withLease`, which renews it.
 *
 * Used for the per-user serialisation of order placement and for leader election (`LeaderElection`).
 */
@Injectable()
export class Leases {
  private readonly logger = new Logger('Leases');

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes the lease if it is free or expired (or renews it for the same holder); undefined when someone holds it. */
  async tryAcquire(name: string, ttlMs: number, holder: string = randomUUID()): Promise<Lease | undefined> {
    if (name.length > NAME_LENGTH_MAX) throw new Error(`lease name longer than ${NAME_LENGTH_MAX}`);
    const rows = await sqlRows(
      this.dataSource.manager,
      `INSERT INTO lease (name, holder, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
        WHERE lease.expires_at <= clock_timestamp() OR lease.holder = EXCLUDED.holder
       RETURNING holder`,
      [name, holder, Math.max(1, Math.floor(ttlMs))],
    );
    return rows.length > 0 ? { name, holder } : undefined;
  }

  /** Tries until `waitMs` has passed, backing off between tries. */
  async acquire(name: string, options: ClaimOptions): Promise<Lease | undefined> {
    const deadline = Date.now() + (options.waitMs ?? 0);
    const holder = randomUUID();
    let pause = POLL_MIN_MS;
    for (;;) {
      const lease = await this.tryAcquire(name, options.ttlMs, holder);
      if (lease || Date.now() >= deadline) return lease;
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
      pause = Math.min(POLL_MAX_MS, pause * 2);
    }
  }

  /** Extends a lease still held by this holder; false when it was lost (expired and taken by someone else). */
  async renew(lease: Lease, ttlMs: number): Promise<boolean> {
    const rows = await sqlRows(
      this.dataSource.manager,
      `UPDATE lease SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
        WHERE name = $1 AND holder = $2 RETURNING name`,
      [lease.name, lease.holder, Math.max(1, Math.floor(ttlMs))],
    );
    return rows.length > 0;
  }

  async release(lease: Lease): Promise<void> {
    await sqlRows(this.dataSource.manager, 'DELETE FROM lease WHERE name = $1 AND holder = $2', [
      lease.name,
      lease.holder,
    ]);
  }

  /**
   * Runs `work` holding the lease (renewed every third of its lifetime while the work runs), then releases it.
   * Answers undefined, without running `work`, when the lease could not be had within `waitMs`.
   */
  async withLease<T>(name: string, options: ClaimOptions, work: () => Promise<T>): Promise<{ value: T } | undefined> {
    const lease = await this.acquire(name, options);
    if (!lease) return undefined;
    const renewal = setInterval(
      () => {
        this.renew(lease, options.ttlMs).catch((error: unknown) => {
          this.logger.warn({ err: (error as Error).message, lease: name }, 'Lease not renewed');
        });
      },
      Math.max(10, Math.floor(options.ttlMs / 3)),
    );
    renewal.unref();
    try {
      return { value: await work() };
    } finally {
      clearInterval(renewal);
      await this.release(lease).catch((error: unknown) => {
        // It expires by itself.
        this.logger.warn({ err: (error as Error).message, lease: name }, 'Lease not released');
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
}
