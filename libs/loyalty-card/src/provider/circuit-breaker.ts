import type { Clock } from '@app/common';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial call through. */
  openMs: number;
}

export class CircuitOpenError extends Error {
  constructor() {
    super('circuit open');
    this.name = 'CircuitOpenError';
  }
}

/**
 * A small circuit breaker (closed -> open after N consecutive failures -> half-open after a pause -> closed on the
 * first success). Hand-written rather than a library so that it runs on the service's injectable Clock: tests move
 * time instead of sleeping, and the state is plain to read. See docs/adr/0002-loyalty-provider-client.md.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAtMs: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openedAtMs === undefined) return 'closed';
    return this.clock.nowMs() - this.openedAtMs >= this.options.openMs ? 'half-open' : 'open';
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) throw new CircuitOpenError();
    const trial = state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await call();
      this.failures = 0;
      this.openedAtMs = undefined;
      return result;
    } catch (error) {
      this.failures += 1;
      if (trial || this.failures >= this.options.failureThreshold) this.openedAtMs = this.clock.nowMs();
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }
}
