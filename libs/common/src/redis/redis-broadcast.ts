import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ConnectionErrorLog } from './connection-error-log';
import { RedisConnection } from './redis-connection';

/** A SUBSCRIBE that failed on a connection that stayed up is tried again after this. */
const SUBSCRIBE_RETRY_MS = 1_000;

/** What a topic's listener is told: each message, and that messages may have been lost (`reset`). */
export interface BroadcastListener {
  message(text: string): void;
  /** The subscription went down or came back: messages sent meanwhile were lost, so drop what they would have. */
  reset(): void;
}

/** Messages to every instance of the deployment, and whether this instance hears them right now. */
export interface Broadcast {
  /** False when there is no Redis: nothing is sent or heard, and nothing may rely on messages. */
  readonly available: boolean;
  /** Subscribes (once per topic and process); until `live`, messages to the topic may not arrive. */
  listen(topic: string, listener: BroadcastListener): void;
  /** True only while the subscription is up, so that every message published now reaches this instance. */
  readonly live: boolean;
  /** Sends without waiting; a message lost to an outage is a `reset` on the instances that were listening. */
  publish(topic: string, text: string): void;
}

/**
 * Redis pub/sub on a connection of its own (a subscribed connection can do nothing else), for messages such as
 * "this cached value changed". A message published while an instance's subscription is down never reaches it, so
 * an instance is `live` only from a completed SUBSCRIBE until the connection drops, and its listeners are `reset`
 * on both edges. Messages are best effort: a publish that fails is not retried, which is why anything relying on
 * them also keeps a time limit of its own.
 */
@Injectable()
export class RedisBroadcast implements Broadcast, OnApplicationShutdown {
  private readonly listeners = new Map<string, BroadcastListener[]>();
  private subscriber: Redis | undefined;
  private subscribed = false;

  constructor(@Inject(RedisConnection) private readonly redis: RedisConnection) {}

  get available(): boolean {
    return this.redis.client !== undefined;
  }

  get live(): boolean {
    return this.subscribed;
  }

  listen(topic: string, listener: BroadcastListener): void {
    const client = this.redis.client;
    if (!client) return;
    const channel = this.redis.key('broadcast', topic);
    const known = this.listeners.get(channel);
    if (known) {
      known.push(listener);
      return;
    }
    this.listeners.set(channel, [listener]);
    if (this.subscriber) {
      // A topic added after the subscription came up is not live until its own SUBSCRIBE is done.
      this.goDown();
      void this.subscribeAll(this.subscriber);
    } else {
      this.subscriber = this.connect(client);
    }
  }

  publish(topic: string, text: string): void {
    void this.redis.client?.publish(this.redis.key('broadcast', topic), text).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscribed = false;
    if (!subscriber) return;
    await subscriber.quit().catch(() => {
      subscriber.disconnect();
    });
  }

  private connect(client: Redis): Redis {
    // Re-subscribing is done here, on every `ready`, so that `live` turns true only once the server confirmed it.
    const subscriber = client.duplicate({ autoResubscribe: false, lazyConnect: false });
    const log = new ConnectionErrorLog('broadcast');
    subscriber.on('error', (error: unknown) => {
      log.failed(error);
    });
    subscriber.on('close', () => {
      this.goDown();
    });
    subscriber.on('ready', () => {
      log.recovered();
      void this.subscribeAll(subscriber);
    });
    subscriber.on('message', (channel: string, text: string) => {
      for (const listener of this.listeners.get(channel) ?? []) {
        // A listener that fails on a message must not take the connection's handler (and the process) with it.
        try {
          listener.message(text);
        } catch {
          listener.reset();
        }
      }
    });
    return subscriber;
  }

  private async subscribeAll(subscriber: Redis): Promise<void> {
    try {
      await subscriber.subscribe(...this.listeners.keys());
    } catch {
      // Dropped meanwhile: its `close` went down, and the next `ready` subscribes again. Still up (a timeout): again.
      if (subscriber === this.subscriber && subscriber.status === 'ready') {
        setTimeout(() => void this.subscribeAll(subscriber), SUBSCRIBE_RETRY_MS).unref();
      }
      return;
    }
    if (subscriber !== this.subscriber || subscriber.status !== 'ready') return;
    this.resetAll();
    this.subscribed = true;
  }

  private goDown(): void {
    this.subscribed = false;
    this.resetAll();
  }

  private resetAll(): void {
    for (const listeners of this.listeners.values()) for (const listener of listeners) listener.reset();
  }
}
