import { Injectable } from '@nestjs/common';

/** Whether this app is draining; set by the first shutdown signal and never cleared. Readiness reads it. */
@Injectable()
export class ShutdownState {
  private drainingSinceMs: number | undefined;

  get draining(): boolean {
    return this.drainingSinceMs !== undefined;
  }

  beginDrain(): void {
    this.drainingSinceMs ??= Date.now();
  }
}
