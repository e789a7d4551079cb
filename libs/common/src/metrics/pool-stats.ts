/** How a database pool stands right now, for the metrics. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Where the metrics read the database pool from: provided by the database lib (this lib sits below it and knows no
 * database). An app without one reports the pool as empty.
 */
export abstract class DatabasePoolStats {
  /** The pool's counts, or undefined while there is no pool (not connected yet, or closed). */
  abstract current(): PoolStats | undefined;
}
