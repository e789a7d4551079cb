import { Injectable, Optional } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DatabasePoolStats, type PoolStats } from './pool-stats';

/**
 * Prometheus metrics of one app. Each app has its own registry: `npm start` runs both apps in one process and
 * their series must not mix.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;
  /**
   * Each label set's bound series, so a request costs a map lookup rather than prom-client hashing its labels twice.
   * Bounded as the labels are: methods times route patterns times statuses.
   */
  private readonly series = new Map<string, { requests: { inc(): void }; duration: { observe(v: number): void } }>();

  constructor(@Optional() poolStats?: DatabasePoolStats) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const poolGauge = (name: string, help: string, read: (p: PoolStats) => number): void => {
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = poolStats?.current();
          this.set(p ? read(p) : 0);
        },
      });
    };
    poolGauge('db_pool_connections_total', 'Connections open in the database pool', (p) => p.totalCount);
    poolGauge('db_pool_connections_idle', 'Idle connections in the database pool', (p) => p.idleCount);
    poolGauge('db_pool_requests_waiting', 'Queries waiting for a pooled connection', (p) => p.waitingCount);
  }

  /** `route` is the route pattern (`/users/:id`), never the raw URL, so label cardinality stays bounded. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      this.series.set(key, series);
    }
    series.requests.inc();
    series.duration.observe(seconds);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
