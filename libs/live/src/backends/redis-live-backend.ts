import type { Logger } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { LIVE_CHANNEL_PREFIX } from '../live-channel';
import { parseJson, type LiveBackend, type LiveDelivery } from './live-backend';

/**
 * Redis pub/sub: one connection publishes, one listens to every live channel with a single pattern
 * (`gemeng:live:*`), so a new subscriber costs no round trip to Redis and is live at once. ioredis
 * reconnects both by itself and subscribes the listener again.
 */
export class RedisLiveBackend implements LiveBackend {
  private publisher: Redis | undefined;
  private subscriber: Redis | undefined;
  private subscribing: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly connectionName: string,
    private readonly logger: Logger,
  ) {}

  async publish(channel: string, payload: string): Promise<void> {
    // Fail fast while Redis is away: the change is committed already, and a live event that comes late
    // is worth less than a response that is not held up. Clients reload what they show on reconnecting.
    this.publisher ??= this.connect('publisher', { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    await this.publisher.publish(channel, payload);
  }

  listen(deliver: LiveDelivery): Promise<void> {
    if (!this.subscribing) {
      // The pattern subscription waits for Redis however long it takes; ioredis renews it on every reconnection.
      const subscriber = this.connect('subscriber', { maxRetriesPerRequest: null });
      subscriber.on('pmessage', (_pattern: string, channel: string, message: string) =>
        deliver(channel, parseJson(message)),
      );
      this.subscriber = subscriber;
      this.subscribing = subscriber.psubscribe(`${LIVE_CHANNEL_PREFIX}*`).then(() => undefined);
    }
    return this.subscribing;
  }

  async close(): Promise<void> {
    const connections = [this.publisher, this.subscriber].filter((c): c is Redis => c !== undefined);
    this.publisher = this.subscriber = undefined;
    await Promise.all(
      connections.map((redis) =>
        redis.status === 'ready' ? redis.quit().catch(() => redis.disconnect()) : redis.disconnect(),
      ),
    );
  }

  private connect(role: 'publisher' | 'subscriber', options: RedisOptions): Redis {
    const redis = new Redis(this.url, { connectionName: `${this.connectionName}-${role}`, ...options });
    // ioredis reports every failed reconnection attempt; one line per outage is enough.
    let healthy = true;
    redis.on('error', (error: Error) => {
      if (!healthy) return;
      healthy = false;
      this.logger.warn(`Live events ${role} lost Redis: ${error.message}`);
    });
    redis.on('ready', () => {
      if (healthy) return;
      healthy = true;
      this.logger.log(`Live events ${role} is connected to Redis again`);
    });
    return redis;
  }
}
