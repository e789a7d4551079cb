/**
 * A test-only port: code with steps that a crash may separate calls `faults.reached('name')` after each committed
 * step, and a test injects an implementation that throws there, leaving the state exactly as a process killed at
 * that point would. The apps always get `NoFaults` (CoreModule), so nothing is ever injected in production; only
 * `createStorefrontApp` / `createOmnitronApp` overrides, which tests pass, can set another.
 */
export abstract class FaultPoints {
  abstract reached(point: string): Promise<void>;
}

export class NoFaults extends FaultPoints {
  reached(): Promise<void> {
    return Promise.resolve();
  }
}

/** For tests: throws `FaultInjected` at the named point (every time it is reached, until `clear`). */
export class InjectedFaults extends FaultPoints {
  private armed: string | undefined;
  readonly seen: string[] = [];
  /** How many times a fault was thrown: the test HTTP client leaves a 500 of a simulated crash unvalidated. */
  injected = 0;

  arm(point: string): void {
    this.armed = point;
  }

  clear(): void {
    this.armed = undefined;
  }

  reached(point: string): Promise<void> {
    this.seen.push(point);
    if (this.armed === point) {
      this.injected++;
      return Promise.reject(new FaultInjected(point));
    }
    return Promise.resolve();
  }
}

export class FaultInjected extends Error {
  constructor(readonly point: string) {
    super(`fault injected at ${point}`);
    this.name = 'FaultInjected';
  }
}
