/**
 * The one source of the current time. Services take a Clock instead of calling `new Date()`, so tests can move
 * time forward (code expiry, rate windows, sessions) without sleeping.
 */
export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }

  /** Milliseconds that only move forward (a wall-clock step back or forth does not move them): for durations. */
  abstract monotonicMs(): number;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }

  override nowMs(): number {
    return Date.now();
  }

  monotonicMs(): number {
    return performance.now();
  }
}

/** A clock that only moves when told to; for tests. */
export class ManualClock extends Clock {
  constructor(private current: Date = new Date('2026-01-01T00:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  /** Moves with `advanceMs` and `set` alike: tests move time forward. */
  monotonicMs(): number {
    return this.current.getTime();
  }

  advanceMs(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }

  set(date: Date): void {
    this.current = new Date(date.getTime());
  }
}
