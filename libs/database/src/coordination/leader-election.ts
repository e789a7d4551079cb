import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Leases } from './leases';
import { LEASE_NAMES } from './lock-keys';

export interface LeaderTaskOptions {
  /** The lease's name: one leader per name across every instance. */
  name: string;
  /** How often the leader runs the task (and renews its lease). */
  intervalMs: number;
  task: () => Promise<void>;
}

/**
 * Runs a periodic task on one instance at a time: each instance tries every interval to take or renew the lease
 * `leader:<name>` (lifetime three intervals); whoever holds it runs the task, never two runs of one instance at
 * once. A leader that dies is replaced within three intervals. Every task must still be safe to run twice (a
 * paused leader can outlive its lease), which the recovery worker is: each of its steps is idempotent.
 */
export class LeaderElection {
  private readonly logger = new Logger('LeaderElection');
  private readonly holder = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly leases: Leases,
    private readonly options: LeaderTaskOptions,
  ) {}

  get leaseName(): string {
    return LEASE_NAMES.leader(this.options.name);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs one round now (tests and the first tick): take or renew the lease, run the task if leader. */
  async tick(): Promise<boolean> {
    const lease = await this.leases.tryAcquire(this.leaseName, this.options.intervalMs * 3, this.holder);
    if (!lease || this.stopped) return false;
    await this.options.task();
    return true;
  }

  /** Stops scheduling, waits for a running round, and gives the lease up so another instance takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.leases.release({ name: this.leaseName, holder: this.holder }).catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.logger.error({ err: error, task: this.options.name }, 'Leader task failed');
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
