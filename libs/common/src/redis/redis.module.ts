import { Global, Module } from '@nestjs/common';
import { RedisBroadcast } from './redis-broadcast';
import { RedisConnection } from './redis-connection';

export { RedisConnection };

/** The process's Redis connection (none without REDIS_URL) and the broadcast over it, for every module. */
@Global()
@Module({ providers: [RedisConnection, RedisBroadcast], exports: [RedisConnection, RedisBroadcast] })
export class RedisModule {}
