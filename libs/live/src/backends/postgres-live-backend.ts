import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { PostgresListener } from '@gemeng/database';
import { parseJson, type LiveBackend, type LiveDelivery } from './live-backend';

/**
 * The one PostgreSQL notification channel of live events. PostgreSQL has no pattern LISTEN, and one
 * LISTEN per commune would make a commune's first subscriber wait for a round trip; so every event goes
 * on this channel with its live channel name inside, and each instance routes it in process.
 */
export const POSTGRES_LIVE_CHANNEL = 'gemeng_live';

interface Envelope {
  channel: string;
  payload: unknown;
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && typeof (value as Envelope).channel === 'string';
}

/**
 * PostgreSQL LISTEN/NOTIFY: NOTIFY through the platform's pool, LISTEN on one dedicated connection per
 * instance that reconnects and listens again after a drop.
 */
export class PostgresLiveBackend implements LiveBackend {
  private readonly listener: PostgresListener;
  private listening: Promise<void> | undefined;
  private deliver: LiveDelivery = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    logger: Logger,
  ) {
    // Nothing to catch up after a reconnection: events published while nobody listened are lost; clients
    // reload what they show on reconnecting.
    this.listener = new PostgresListener({
      ...PostgresListener.connectionOf(dataSource, 'live'),
      channel: POSTGRES_LIVE_CHANNEL,
      description: 'live events listener',
      logger,
      onNotification: (payload) => {
        const envelope = parseJson(payload);
        if (isEnvelope(envelope)) this.deliver(envelope.channel, envelope.payload);
      },
    });
  }

  async publish(channel: string, payload: string): Promise<void> {
    // The payload is JSON already; it is embedded as it is rather than parsed and written again.
    const envelope = `{"channel":${JSON.stringify(channel)},"payload":${payload}}`;
    await this.dataSource.query('SELECT pg_notify($1, $2)', [POSTGRES_LIVE_CHANNEL, envelope]);
  }

  listen(deliver: LiveDelivery): Promise<void> {
    this.deliver = deliver;
    this.listening ??= this.listener.start().catch((error: unknown) => {
      this.listening = undefined;
      throw error;
    });
    return this.listening;
  }

  async close(): Promise<void> {
    await this.listener.close();
  }
}
