import { EventEmitter } from 'node:events';
import type { BroadcastListener } from './redis-broadcast';
import { RedisBroadcast } from './redis-broadcast';
import type { RedisConnection } from './redis-connection';

/** The subscribed connection as ioredis drives it: `ready`, `close` and `message` events, SUBSCRIBE answered later. */
class FakeSubscriber extends EventEmitter {
  status = 'connecting';
  readonly subscribed: string[][] = [];
  private answers: { resolve: () => void; reject: (error: Error) => void }[] = [];
  subscribe(...channels: string[]): Promise<void> {
    this.subscribed.push(channels);
    return new Promise((resolve, reject) => this.answers.push({ resolve, reject }));
  }
  /** The server's reply to the oldest SUBSCRIBE still unanswered. */
  async answer(error?: Error): Promise<void> {
    const next = this.answers.shift()!;
    if (error) next.reject(error);
    else next.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  }
  ready(): void {
    this.status = 'ready';
    this.emit('ready');
  }
  drop(): void {
    this.status = 'reconnecting';
    this.emit('close');
  }
  quit(): Promise<void> {
    return Promise.resolve();
  }
}

function broadcastWith(redis: boolean) {
  const subscriber = new FakeSubscriber();
  const published: [string, string][] = [];
  const client = {
    duplicate: () => subscriber,
    publish: (channel: string, text: string) => {
      published.push([channel, text]);
      return Promise.resolve(1);
    },
  };
  const connection = { client: redis ? client : undefined, key: (...parts: string[]) => `p:${parts.join(':')}` };
  const broadcast = new RedisBroadcast(connection as unknown as RedisConnection);
  return { broadcast, subscriber, published };
}

function recorder(): BroadcastListener & { messages: string[]; resets: number } {
  const listener = {
    messages: [] as string[],
    resets: 0,
    message(text: string) {
      listener.messages.push(text);
    },
    reset() {
      listener.resets++;
    },
  };
  return listener;
}

describe('RedisBroadcast', () => {
  it('is live only once the server confirmed the SUBSCRIBE, and resets its listeners then', async () => {
    const { broadcast, subscriber } = broadcastWith(true);
    const listener = recorder();
    broadcast.listen('topic', listener);
    subscriber.ready();
    expect(broadcast.live).toBe(false);
    await subscriber.answer();
    expect(subscriber.subscribed).toEqual([['p:broadcast:topic']]);
    expect(broadcast.live).toBe(true);
    expect(listener.resets).toBe(1);
  });

  it('goes down and resets its listeners when the connection drops, and is live again after it re-subscribed', async () => {
    const { broadcast, subscriber } = broadcastWith(true);
    const listener = recorder();
    broadcast.listen('topic', listener);
    subscriber.ready();
    await subscriber.answer();
    subscriber.drop();
    expect(broadcast.live).toBe(false);
    expect(listener.resets).toBe(2);
    subscriber.ready();
    await subscriber.answer();
    expect(broadcast.live).toBe(true);
    expect(listener.resets).toBe(3);
  });

  it('stays down when the connection dropped before the SUBSCRIBE was answered', async () => {
    const { broadcast, subscriber } = broadcastWith(true);
    broadcast.listen('topic', recorder());
    subscriber.ready();
    subscriber.drop();
    await subscriber.answer();
    expect(broadcast.live).toBe(false);
  });

  it('hands a message to its topic’s listeners, and resets a listener that throws instead of throwing itself', async () => {
    const { broadcast, subscriber } = broadcastWith(true);
    const listener = recorder();
    const failing = recorder();
    failing.message = () => {
      throw new Error('bad message');
    };
    broadcast.listen('topic', listener);
    broadcast.listen('topic', failing);
    subscriber.ready();
    await subscriber.answer();
    const resetsBefore = failing.resets;
    expect(() => subscriber.emit('message', 'p:broadcast:topic', 'hello')).not.toThrow();
    subscriber.emit('message', 'p:broadcast:other', 'not for it');
    expect(listener.messages).toEqual(['hello']);
    expect(failing.resets).toBe(resetsBefore + 1);
  });

  it('publishes under the deployment’s key prefix', () => {
    const { broadcast, published } = broadcastWith(true);
    broadcast.publish('topic', 'hello');
    expect(published).toEqual([['p:broadcast:topic', 'hello']]);
  });

  it('without Redis: unavailable, never live, publishes nothing', () => {
    const { broadcast, published, subscriber } = broadcastWith(false);
    broadcast.listen('topic', recorder());
    broadcast.publish('topic', 'hello');
    expect({ available: broadcast.available, live: broadcast.live }).toEqual({ available: false, live: false });
    expect(published).toEqual([]);
    expect(subscriber.subscribed).toEqual([]);
  });
});
