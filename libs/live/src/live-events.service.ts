import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';
import { TenantTransactions } from '@gemeng/database';
import { DataSource } from 'typeorm';
import type { LiveBackend } from './backends/live-backend';
import { PostgresLiveBackend } from './backends/postgres-live-backend';
import { RedisLiveBackend } from './backends/redis-live-backend';
import {
  encodePayload,
  isLiveEventPayload,
  LIVE_CHANNEL_PREFIX,
  liveChannel,
  type LiveEventPayload,
} from './live-channel';
import { LiveScope, LiveSubscription, MAX_BUFFERED_EVENTS } from './live-subscription';

export const LIVE_EVENTS_OPTIONS = Symbol('LIVE_EVENTS_OPTIONS');

export interface LiveEventsOptions {
  /** Redis pub/sub when set; PostgreSQL LISTEN/NOTIFY on the platform's database otherwise. */
  redisUrl: string | undefined;
}

/**
 * Live events across every API instance: Redis pub/sub with REDIS_URL, PostgreSQL LISTEN/NOTIFY
 * without. Events are published only once the transaction that made the change has committed.
 */
@Injectable()
export class LiveEvents implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveEvents.name);
  private readonly backend: LiveBackend;
  private readonly subscriptions = new Map<string, Set<LiveSubscription>>();
  private listening: Promise<void> | undefined;

  constructor(
    @Inject(LIVE_EVENTS_OPTIONS) options: LiveEventsOptions,
    dataSource: DataSource,
    private readonly transactions: TenantTransactions,
  ) {
    const applicationName = (dataSource.options.extra as { application_name?: string } | undefined)?.application_name;
    this.backend = options.redisUrl
      ? new RedisLiveBackend(options.redisUrl, `${applicationName ?? 'gemeng'}-live`, this.logger)
      : new PostgresLiveBackend(dataSource, this.logger);
  }

  /** Publishes to every subscriber of `topic` in the context's commune, after the context's transaction commits. */
  async publish(ctx: RequestContext, topic: string, payload: LiveEventPayload): Promise<void> {
    const channel = liveChannel(ctx.requireCommune().id, topic);
    const json = encodePayload(payload);
    await this.transactions.afterCommit(ctx, () => this.backend.publish(channel, json));
  }

  /** The events of one commune and topic, from now on, until the iterator is returned. */
  subscribe(communeId: string, topic: string): AsyncIterableIterator<LiveEventPayload> {
    const channel = liveChannel(communeId, topic);
    const scope = LiveScope.current();
    const subscription = new LiveSubscription(MAX_BUFFERED_EVENTS, (ended) => {
      const subscribers = this.subscriptions.get(channel);
      subscribers?.delete(ended);
      if (subscribers?.size === 0) this.subscriptions.delete(channel);
      scope?.release(ended);
    });
    let subscribers = this.subscriptions.get(channel);
    if (!subscribers) this.subscriptions.set(channel, (subscribers = new Set()));
    subscribers.add(subscription);
    scope?.adopt(subscription);
    this.listen().catch((error: unknown) => this.logger.error(`Live events cannot listen: ${String(error)}`));
    return subscription;
  }

  /**
   * Starts receiving the events of every instance, once per process; resolves when listening. The API
   * calls it at start, so that its first subscriber misses nothing; {@link subscribe} calls it too.
   */
  listen(): Promise<void> {
    this.listening ??= this.backend
      .listen((channel, payload) => this.deliver(channel, payload))
      .catch((error: unknown) => {
        this.listening = undefined;
        throw error;
      });
    return this.listening;
  }

  /** Open subscriptions on this instance: of one commune and topic, of one commune, or all of them. */
  subscriptionCount(communeId?: string, topic?: string): number {
    if (communeId && topic) return this.subscriptions.get(liveChannel(communeId, topic))?.size ?? 0;
    const prefix = communeId ? `${LIVE_CHANNEL_PREFIX}${communeId}:` : LIVE_CHANNEL_PREFIX;
    let count = 0;
    for (const [channel, subscribers] of this.subscriptions) if (channel.startsWith(prefix)) count += subscribers.size;
    return count;
  }

  /** Ends every subscription, then closes the backend's connections (the GraphQL server has stopped). */
  async onApplicationShutdown(): Promise<void> {
    for (const subscribers of [...this.subscriptions.values()]) for (const s of [...subscribers]) s.end();
    await this.backend.close();
  }

  private deliver(channel: string, payload: unknown): void {
    const subscribers = this.subscriptions.get(channel);
    if (!subscribers || !isLiveEventPayload(payload)) return;
    const event = Object.freeze({ ...payload });
    for (const subscription of [...subscribers]) subscription.deliver(event);
  }
}
