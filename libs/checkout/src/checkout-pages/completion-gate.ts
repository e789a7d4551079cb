import { ServiceUnavailableError } from '@app/common';

/** Completions waiting for a slot, per process: beyond this the request is refused rather than queued. */
const WAITING_MAX = 10_000;

/**
 * Bounds how many order completions run at once in this process. A completion needs several pooled connections in
 * turn (its order, the ledger, the lease); without a bound a burst of final posts (found by `npm run bench:checkout`
 * at concurrency 64, when each still held a connection for an advisory lock) queues on the pool until its connect
 * timeout. Half the pool at most runs completions, so other requests always find a connection.
 */
export class CompletionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots: number) {
    if (!Number.isInteger(slots) || slots < 1) throw new Error(`completion slots must be a positive integer`);
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.slots) {
      if (this.waiting.length >= WAITING_MAX)
        throw new ServiceUnavailableError('checkout_busy', 'errors.service_unavailable');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter (active unchanged), or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** The gate of an app's pool of `poolSize` connections: half of them (at least one). */
export function completionGateOf(poolSize: number): CompletionGate {
  return new CompletionGate(Math.max(1, Math.floor(poolSize / 2)));
}
