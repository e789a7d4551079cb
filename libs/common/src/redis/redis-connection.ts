import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { ConnectionErrorLog } from './connection-error-log';

/**
 * The process's one Redis connection, or none when REDIS_URL is unset (then sessions live in PostgreSQL and rate
 * limits in memory). Every option that matters is explicit: a Redis outage fails requests fast instead of queueing
 * them forever.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis | undefined;

  constructor(@Inject(AppConfig) readonly config: AppConfig) {
    this.client = config.redisUrl
      ? new Redis(config.redisUrl, {
          connectTimeout: 5_000,
          commandTimeout: 5_000,
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          lazyConnect: false,
        })
      : undefined;
    if (this.client) {
      // Listening also keeps ioredis from printing its own non-JSON "Unhandled error event" lines.
      const log = new ConnectionErrorLog('main');
      this.client.on('error', (error: unknown) => {
        log.failed(error);
      });
      this.client.on('ready', () => {
        log.recovered();
      });
    }
  }

  /** A key in this deployment's namespace (REDIS_KEY_PREFIX). */
  key(...parts: string[]): string {
    return `${this.config.redisKeyPrefix}${parts.join(':')}`;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.client) await this.client.quit().catch(() => undefined);
  }
}
