import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, type Env, readBool, readInt } from '@app/common';
import { LeaderElection, LEASE_NAMES, Leases } from '@app/database';
import { IN_FLIGHT_STATUSES } from '../entities/order.entity';
import { OrderRepository } from '../repositories/order.repository';
import { OrderPayment } from './order-payment.service';

/** Orders driven on per round at most: a backlog is worked off over several rounds, none of them long. */
const RECOVERY_BATCH = 50;

/** The recovery worker's settings (README.md). */
export class RecoveryConfig {
  readonly enabled: boolean;
  readonly intervalMs: number;
  readonly graceMs: number;
  /** Lifetime of a customer's placement lease (renewed while the placement runs; a dead holder's expires). */
  readonly placementLeaseMs: number;

  constructor(env: Env) {
    this.placementLeaseMs = readInt(env, 'ORDER_PLACEMENT_LEASE_MS', 30_000, 300, 600_000);
    this.enabled = readBool(env, 'ORDER_RECOVERY_ENABLED', true);
    this.intervalMs = readInt(env, 'ORDER_RECOVERY_INTERVAL_MS', 10_000, 100, 3_600_000);
    this.graceMs = readInt(env, 'ORDER_RECOVERY_GRACE_MS', 60_000, 0, 86_400_000);
  }
}

/** The lease that serialises one customer's order placements (final posts and recovery alike). */
export function placementLeaseName(userId: number): string {
  return LEASE_NAMES.orderPlacement(userId);
}

/**
 * Finds orders left in an intermediate state (`pending`, `charging`, `charged`) for longer than the grace period,
 * a placement that died with its process or lost its database, and drives each to a final state
 * (`OrderPayment.recover`). It runs in every app instance; one leader at a time does the work (LeaderElection,
 * through PostgreSQL). Each order is handled under its customer's placement lease, taken without waiting, so a live
 * final post of that customer is never raced; every step is a compare-and-set, so a second run changes nothing.
 */
@Injectable()
export class OrderRecoveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OrderRecovery');
  readonly config: RecoveryConfig;
  private readonly election: LeaderElection;

  constructor(
    private readonly orders: OrderRepository,
    private readonly leases: Leases,
    private readonly payment: OrderPayment,
    appConfig: AppConfig,
  ) {
    this.config = new RecoveryConfig(appConfig.env);
    this.election = new LeaderElection(leases, {
      name: 'order-recovery',
      intervalMs: this.config.intervalMs,
      task: async () => {
        await this.runOnce();
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled) this.election.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.election.stop();
  }

  /** One round: answers how many orders reached a final state. */
  async runOnce(): Promise<number> {
    const stuck = await this.orders.stuck(this.config.graceMs, RECOVERY_BATCH);
    let settled = 0;
    for (const order of stuck) {
      try {
        const done = await this.leases.withLease(
          placementLeaseName(order.userId),
          { ttlMs: this.config.placementLeaseMs },
          async () => {
            const fresh = await this.orders.byId(order.id);
            if (!fresh || !(IN_FLIGHT_STATUSES as readonly string[]).includes(fresh.status)) return false;
            const outcome = await this.payment.recover(fresh);
            this.logger.warn(
              { order: fresh.number, from: order.status, outcome: outcome.kind, status: outcome.order.status },
              'Recovered an order left in an intermediate state',
            );
            return true;
          },
        );
        if (done?.value) settled++;
      } catch (error) {
        // The next round tries again; the order keeps its state.
        this.logger.error({ err: error, order: order.number }, 'Recovering an order failed');
      }
    }
    return settled;
  }
}
