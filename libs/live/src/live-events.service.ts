import { Injectable } from '@nestjs/common';
import type { RequestContext } from '@gemeng/core';

/** Something that happened in a commune, pushed to subscribed clients. Small: ids, not documents. */
export type LiveEventPayload = Record<string, string | number | boolean | null>;

/**
 * Live events across every API instance: Redis pub/sub with REDIS_URL, PostgreSQL LISTEN/NOTIFY
 * without. Events are published only once the transaction that made the change has committed.
 */
@Injectable()
export class LiveEvents {
  /** Publishes to every subscriber of `topic` in the context's commune, after the context's transaction commits. */
  publish(ctx: RequestContext, topic: string, payload: LiveEventPayload): Promise<void> {
    throw new Error(`not yet built: ${String(ctx)} ${topic} ${JSON.stringify(payload)}`);
  }

  /** The events of one commune and topic, from now on, until the iterator is returned. */
  subscribe(communeId: string, topic: string): AsyncIterableIterator<LiveEventPayload> {
    throw new Error(`not yet built: ${communeId} ${topic}`);
  }
}
